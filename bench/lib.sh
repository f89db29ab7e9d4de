# lib.sh - shared by the benchmarks.
# best COMMAND... -> the best wall time of $RUNS runs, in seconds ($EPOCHREALTIME: no clock
# process inside the interval).
best() {
	local b=999999 t0 t1 t
	for _ in $(seq "$RUNS"); do
		t0=$EPOCHREALTIME
		"$@" >/dev/null 2>&1 || true
		t1=$EPOCHREALTIME
		t=$(echo "$t1 - $t0" | bc -l)
		if (( $(echo "$t < $b" | bc -l) )); then b=$t; fi
	done
	echo "$b"
}

# best_pair "CMD A..." "CMD B..." -> "bestA bestB": the two timed in turn, run after run, so a
# slow moment of a shared machine falls on both (the ratio is what matters).
best_pair() {
	local ba=999999 bb=999999 t0 t1 t
	for _ in $(seq "$RUNS"); do
		t0=$EPOCHREALTIME; eval "$1" >/dev/null 2>&1 || true; t1=$EPOCHREALTIME
		t=$(echo "$t1 - $t0" | bc -l); if (( $(echo "$t < $ba" | bc -l) )); then ba=$t; fi
		t0=$EPOCHREALTIME; eval "$2" >/dev/null 2>&1 || true; t1=$EPOCHREALTIME
		t=$(echo "$t1 - $t0" | bc -l); if (( $(echo "$t < $bb" | bc -l) )); then bb=$t; fi
	done
	echo "$ba $bb"
}

# baseline LABEL "ARGS..." -> with BASELINE=path/to/an/older/shipshape, times the same command
# with it and with $SHIPSHAPE in turn and prints both and their ratio: a change's cost
# measured side by side on one machine at one moment (make bench BASELINE=...).
baseline() {
	[ -n "${BASELINE:-}" ] || return 0
	local label=$1 args=$2 new old
	read -r new old < <(best_pair "\"\$SHIPSHAPE\" $args" "\"\$BASELINE\" $args")
	printf '%-40s %8.3f s   baseline %8.3f s   new/baseline %.3f\n' "$label" "$new" "$old" "$(echo "$new / $old" | bc -l)"
}

# image_500m OUT -> the path of a ~500 MB two-layer image of system files (gzip layers,
# docker-save form), built once under OUT (image.sh, registry.sh); its layers are kept in
# OUT/layers too.
image_500m() {
	local out=$1 img="$1/image-500m.tar" w="$1/img" l
	if [ ! -f "$img" ]; then
		rm -rf "$w" && mkdir -p "$w"
		# two layers of about 250 MB each: system binaries and libraries, then shared data. The
		# entries are chosen whole until the size is reached (a tar cut at a byte count ends inside
		# a file, which is a truncated archive, not an image)
		pick() { # CAP DIR... -> relative paths under /, in find's order, file bytes adding up to CAP
			local cap=$1
			shift
			(cd / && find "$@" -printf '%y\t%s\t%p\n' 2>/dev/null) |
				awk -F'\t' -v cap="$cap" 'full { next } { s = ($1 == "f") ? $2 : 0 } t + s > cap { full = 1; next } { t += s; print $3 }'
		}
		pick 250000000 usr/bin usr/libexec usr/include usr/lib/gcc $(cd / && echo usr/lib/python3*) > "$w/l1.list"
		pick 250000000 usr/share > "$w/l2.list"
		for l in l1 l2; do
			tar -C / --no-recursion --verbatim-files-from -cf "$w/$l.tar" -T "$w/$l.list" 2>/dev/null || true
			echo "sha256:$(sha256sum "$w/$l.tar" | cut -d' ' -f1)" > "$w/$l.diff"
			gzip -6 -c "$w/$l.tar" > "$w/$l.tar.gz"
			rm "$w/$l.tar"
		done
		jq -n --arg a "$(cat "$w/l1.diff")" --arg b "$(cat "$w/l2.diff")" \
			'{architecture:"amd64",os:"linux",config:{User:"1000"},rootfs:{type:"layers",diff_ids:[$a,$b]},
			  history:[{created_by:"ADD system /"},{created_by:"ADD share /"}]}' > "$w/config.json"
		jq -n '[{Config:"config.json",RepoTags:["bench/system:500m"],Layers:["l1.tar.gz","l2.tar.gz"]}]' > "$w/manifest.json"
		tar -C "$w" -cf "$img" manifest.json config.json l1.tar.gz l2.tar.gz
		mkdir -p "$out/layers" && mv "$w/l1.tar.gz" "$w/l2.tar.gz" "$out/layers/"
		rm -rf "$w"
	fi
	echo "$img"
}
