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
