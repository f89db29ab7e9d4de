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
