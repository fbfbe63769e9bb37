/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MICROMINE_VERSION_H
#define MICROMINE_VERSION_H

#define MICROMINE_VERSION "0.1.0"

#endif
