# SPDX-License-Identifier: GPL-2.0
# bash completion for micromine(8)

_micromine()
{
	local cur prev words cword
	_init_completion || return

	local commands="status stats top set job events bench selftest run"
	if [[ $cword -eq 1 ]]; then
		COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
		return
	fi

	case ${words[1]} in
	status)
		COMPREPLY=($(compgen -W "--json --help" -- "$cur")) ;;
	stats)
		COMPREPLY=($(compgen -W "--per-cpu --json --help" -- "$cur")) ;;
	top)
		COMPREPLY=($(compgen -W "--interval --count --help" -- "$cur")) ;;
	events)
		COMPREPLY=($(compgen -W "--json --count --timeout --help" -- "$cur")) ;;
	bench|selftest)
		if [[ $prev == --backend ]]; then
			COMPREPLY=($(compgen -W "$(cat /sys/kernel/micromine/backends 2>/dev/null)" -- "$cur"))
			return
		fi
		COMPREPLY=($(compgen -W "--backend --force --json --help \
			$([[ ${words[1]} == bench ]] && echo --seconds)" -- "$cur")) ;;
	job)
		if [[ $cword -eq 2 ]]; then
			COMPREPLY=($(compgen -W "submit flush --help" -- "$cur"))
		elif [[ ${words[2]} == submit ]]; then
			COMPREPLY=($(compgen -W "--header --target --id --clean --version-mask \
				--nonce-start --nonce-count --json --help" -- "$cur"))
		fi ;;
	run)
		case $prev in
		-c|--config|--ca-file|--password-file) _filedir; return ;;
		--log-level) COMPREPLY=($(compgen -W "error warning info debug" -- "$cur")); return ;;
		-s|--set)
			COMPREPLY=($(compgen -S = -W "log-level syslog suggest-difficulty share-interval keepalive \
				silence connect-timeout answer-timeout max-line share-store \
				share-store-max share-max-age backoff-min backoff-max failover-after \
				failback version-rolling extranonce-subscribe insecure allow-redirect \
				state" -- "$cur"))
			compopt -o nospace
			return ;;
		--node-set)
			COMPREPLY=($(compgen -S = -W "version-rolling suggest-difficulty" -- "$cur"))
			compopt -o nospace
			return ;;
		-o|--url) COMPREPLY=($(compgen -W "stratum+tcp:// stratum+tls://" -- "$cur"))
			compopt -o nospace
			return ;;
		esac
		COMPREPLY=($(compgen -W "--config --url --user --password --password-file \
			--ca-file --fingerprint --pinned-pubkey --node-set --insecure --set --log-level --syslog \
			--check --help" -- "$cur")) ;;
	set)
		# settings at odd positions, their values after them
		if (((cword - 2) % 2 == 0)); then
			COMPREPLY=($(compgen -W "enabled cpus duty-cycle backend chunk-min chunk-max" -- "$cur"))
		else
			case $prev in
			enabled) COMPREPLY=($(compgen -W "on off" -- "$cur")) ;;
			backend) COMPREPLY=($(compgen -W "$(cat /sys/kernel/micromine/backends 2>/dev/null)" -- "$cur")) ;;
			cpus) COMPREPLY=($(compgen -W "$(cat /sys/devices/system/cpu/online 2>/dev/null)" -- "$cur")) ;;
			esac
		fi ;;
	esac
} &&
	complete -F _micromine micromine
