#!/bin/sh
# national-run.sh: the runs and the figures of `make bench-national`
# (issue 15 "National scale benchmark"; bench/national.mk calls it with
# the exports generated).  Every region of bench/national/regions.csv
# gets one `make run` (RUN_MEASURE=1, so each step's wall and CPU seconds
# and peak RSS are in OUT/logs/STEP.time), NATIONAL_JOBS at a time, in
# the file's order (the largest first); the national wall time is from
# the first run's start to the last one's end.  Then Miller does
# alf-allocate's aggregation (Σ qty per provider, stream and period) on
# each region's activities.csv, for the ratio.  Environment (from
# national.mk): NATIONAL_IN, NATIONAL_DIR, NATIONAL_JOBS, NATIONAL_ROWS,
# NATIONAL_MONTHS, ALF_BIN (absolute), MAKE.
#   national-run.sh            all regions, then the figures
#   national-run.sh one R M    region R by model M (xargs calls it)
set -eu
regions=bench/national/regions.csv
d=$NATIONAL_DIR

if [ "${1:-}" = one ]; then
	r=$2 m=$3 o=$d/run/$r
	s=$(date +%s.%N)
	ALF_KEY_FILE=$d/bench.key $MAKE --no-print-directory -j1 -f Makefile \
	    run ALF_BIN="$ALF_BIN" MODEL="$m" IN="$NATIONAL_IN/$r" OUT="$o" \
	    RUN_MEASURE=1 > "$d/run-$r.out" 2> "$d/run-$r.err" || {
		echo "bench-national: $r: make run failed:" >&2
		tail -n 20 "$d/run-$r.err" >&2; exit 1; }
	echo "$s $(date +%s.%N)" > "$d/run-$r.wall"
	exit 0
fi

# the model of each region: its own (stockholm-2024, vgr-2024), or
# Stockholm's rules under the region's name (bench/national.mk writes
# them to NATIONAL_DIR/models)
set --
for r in $(awk -F , 'NR > 1 { print $1 }' $regions); do
	rules=$(awk -F , -v r=$r '$1 == r { print $4 }' $regions)
	if [ "$rules" = "$r-2024" ]; then m=$rules; else m=$(pwd)/$d/models/$r-2024.json; fi
	set -- "$@" "$r" "$m"
done
k=$d/bench.key
[ -f $k ] || { head -c 32 /dev/urandom > $k; chmod 600 $k; }
rm -rf $d/run $d/run-*.wall $d/run-*.err $d/run-*.out
mkdir -p $d/run
# the machine's busy and idle CPU ticks (/proc/stat), to tell this run's
# CPU from other people's on a shared machine
ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat; }
load=$(cut -d ' ' -f 1-3 /proc/loadavg)
t0=$(ticks)
s=$(date +%s.%N)
printf '%s %s\n' "$@" | /usr/bin/time -f '%e %U %S' -o $d/runs.time \
    xargs -P "$NATIONAL_JOBS" -n 2 sh bench/national-run.sh one
e=$(date +%s.%N)
t1=$(ticks)
load_end=$(cut -d ' ' -f 1-3 /proc/loadavg)

# one line per step: region stage rows wall user sys maxrss_kib
t=$d/steps.tsv
: > $t
for r in $(awk -F , 'NR > 1 { print $1 }' $regions); do
	o=$d/run/$r
	jq -r '.stages[] | [.stage, (.read // 0)] | @tsv' $o/summary.json |
	while read -r n rows; do
		set -- $(tail -n 1 $o/logs/$n.time 2>/dev/null) 0 0 0 0
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' $r $n $rows $1 $2 $3 $4
	done >> $t
done

# per region: input rows, months, status, own wall, CPU, peak, money
echo "national year: $NATIONAL_ROWS placement rows, $NATIONAL_MONTHS service months," \
    "$(awk -F , 'NR > 1' $regions | wc -l) regions, $NATIONAL_JOBS runs at a time, RUN_PIPE=${RUN_PIPE:-1};" \
    "load average $load at the start, $load_end at the end"
# wall_s: the region's make run; steps_s: its steps' wall seconds summed
# (the rest is make and the summary's hashing)
printf '%-13s %-17s %9s %7s %-8s %7s %7s %7s %8s %10s %14s\n' region model rows months status \
    wall_s steps_s cpu_s peak_MiB rows/cpu_s allocated_kr
bad=0
for r in $(awk -F , 'NR > 1 { print $1 }' $regions); do
	o=$d/run/$r
	st=$(jq -r .status $o/summary.json)
	model=$(jq -r .model $o/summary.json)
	# every amount of allocations.csv (the last column), in öre
	kr=$(awk -F , 'FNR > 1 { split($NF, k, "."); v += k[1] * 100 + k[2] }
	    END { printf "%.0f.%02d", int(v / 100), v % 100 }' $o/allocations.csv)
	set -- $(cat $d/run-$r.wall)
	awk -F '\t' -v r=$r -v m=$model -v st=$st -v kr=$kr -v w0=$1 -v w1=$2 \
	    -v rows=$(cat $NATIONAL_IN/$r/rows) -v mo=$(cat $NATIONAL_IN/$r/months) '
	    $1 == r { sw += $4; c += $5 + $6; if ($7 > pk) pk = $7 }
	    END { printf "%-13s %-17s %9d %7d %-8s %7.2f %7.2f %7.2f %8.1f %10.0f %14s\n", r, m, rows, mo,
	        st, w1 - w0, sw, c, pk / 1024, (c > 0 ? rows / c : 0), kr }' $t
	case $st in ok|rejects) ;; *) echo "bench-national: $r: status $st" >&2; bad=1;; esac
	[ "$kr" != 0.00 ] || { echo "bench-national: $r: allocates nothing" >&2; bad=1; }
	jq -r --arg r $r '.pots[] | select(.allocated == "0.00") |
	    "  (\($r): pot line \(.line) allocated 0.00 in summary.json)"' $o/summary.json
done

# per stage over the regions
echo
printf '%-36s %3s %10s %8s %8s %9s %11s\n' 'stage (summed over regions)' 'n' rows wall_s cpu_s \
    'peak_MiB' rows/cpu_s
awk -F '\t' '{ if (!($2 in n)) o[++k] = $2; n[$2]++; rows[$2] += $3; w[$2] += $4
	c[$2] += $5 + $6; if ($7 > pk[$2]) pk[$2] = $7 }
    END { for (i = 1; i <= k; i++) { s = o[i]
	printf "%-36s %3d %10d %8.2f %8.2f %9.1f %11s\n", s, n[s], rows[s], w[s], c[s], pk[s] / 1024,
	    (c[s] > 0 ? sprintf("%.0f", rows[s] / c[s]) : "-") } }' $t

echo
echo "slowest steps (wall):"
sort -t "$(printf '\t')" -k 4,4gr $t | head -n 8 | awk -F '\t' '{
    printf "  %-13s %-36s %8.2f s wall %8.2f s cpu %8.1f MiB\n", $1, $2, $4, $5 + $6, $7 / 1024 }'

# Miller: allocate's aggregation on each region's activities, one by one
m=$d/mlr.tsv
: > $m
for r in $(awk -F , 'NR > 1 { print $1 }' $regions); do
	/usr/bin/time -f '%e %U %S %M' -o $d/mlr.time \
	    mlr --icsv --ocsv stats1 -a sum -f qty -g provider,stream,period \
	    $d/run/$r/activities.csv > /dev/null
	echo "$r $(tail -n 1 $d/mlr.time)" >> $m
done
echo
awk -F '\t' '$2 == "allocate" { ac += $5 + $6; aw += $4; if ($7 > am) am = $7 }
    END { printf "%.3f %.3f %d\n", aw, ac, am }' $t > $d/allocate.sum
set -- $(cat $d/allocate.sum)
awk -v aw=$1 -v ac=$2 -v am=$3 '{ mw += $2; mc += $3 + $4; if ($5 > mm) mm = $5 }
    END { printf "mlr stats1 (sum qty by provider, stream, period) over the seven activities.csv: %.2f s wall, %.2f s cpu, peak %.1f MiB\n", mw, mc, mm / 1024
	printf "alf-allocate over the same (the seven runs): %.2f s wall, %.2f s cpu, peak %.1f MiB\n", aw, ac, am / 1024
	printf "mlr / alf-allocate: %.1fx cpu, %.1fx peak memory\n", mc / ac, mm / am }' $m

# the whole country
echo
awk -F '\t' -v s=$s -v e=$e -v rows=$NATIONAL_ROWS '{ c += $5 + $6 }
    END { w = e - s
	printf "national year: %.2f s wall (goal 15 s: %s), %.2f s cpu in the steps\n", w,
	    (w < 15 ? sprintf("met, %.2f s under", 15 - w) : sprintf("not met, %.2f s over, %.1fx the goal", w - 15, w / 15)), c
	printf "throughput: %.0f placement rows per second of wall, %.0f per cpu second\n", rows / w, rows / c }' $t
set -- $t0 $t1 $(tail -n 1 $d/runs.time)
awk -F '\t' -v hz=$(getconf CLK_TCK) -v b0=$1 -v i0=$2 -v b1=$3 -v i1=$4 -v ru=$6 -v rs=$7 '
    { c += $5 + $6 }
    END { busy = (b1 - b0) / hz; idle = (i1 - i0) / hz; ours = ru + rs
	printf "machine during the runs: %.1f s cpu busy, %.1f s idle; the seven make runs used %.1f s" \
	    " (%.1f s in the steps, %.1f s make, jq, sha256sum); other processes about %.1f s\n",
	    busy, idle, ours, c, ours - c, (busy > ours ? busy - ours : 0) }' $t
exit $bad
