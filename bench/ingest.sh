#!/bin/sh
# bench/ingest.sh FILE ROUNDS: alf-ingest on a generated klipp-placements
# export (bench/gen-klipp.awk) against Miller (`mlr --icsv --ifs ';'
# --ocsv cat`) and a parse-only libcsv program (bench/csvparse), with the
# pseudonyms' HMACs alone (bench/hmacpeer) for the floor; then
# alf-normalize once on alf-ingest's records (issue 11 "Performance").
#
# The four run one after the other, ROUNDS times over.  This VM's speed
# moves by a quarter and more from one minute to the next, so a ratio is
# taken within a round, of commands run back to back, and the median of
# the rounds' ratios is printed beside each round's.  Times are user +
# system CPU seconds and wall seconds from GNU time, peaks in KiB;
# outputs go to /dev/null so that no one pays for the disk.
#
# Environment: ALF_BIN (bin), BENCH_DIR (out/bench: csvparse, hmacpeer and
# the key live there), ROWS (for hmacpeer: the file's data rows).
set -eu
file=$1
rounds=${2:-3}
bin=${ALF_BIN:-bin}
dir=${BENCH_DIR:-out/bench}
rows=${ROWS:-$(($(wc -l < "$file") - 1))}
key=$dir/bench.key
[ -f "$key" ] || { (umask 077; head -c 32 /dev/urandom > "$key"); }
t=$(mktemp)
trap 'rm -f "$t"' EXIT

# cpu wall peak of one command (exit 1, rows rejected, is a run too)
measure() {
	/usr/bin/time -f '%U %S %e %M' -o "$t" "$@" > /dev/null 2>&1 || true
	tail -n 1 "$t" | awk '{ printf "%.2f %.2f %d\n", $1 + $2, $3, $4 }'
}

# the median of the numbers on standard input
median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
	    else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "rows $rows, $(wc -c < "$file") bytes, Windows-1252, ';', decimal comma; $rounds rounds"
r=1
while [ "$r" -le "$rounds" ]; do
	set -- $(measure "$dir/csvparse" "$file"); cs=$1 cw=$2 cm=$3
	set -- $(measure "$dir/hmacpeer" "$rows"); hs=$1
	set -- $(measure mlr --icsv --ifs ';' --ocsv cat "$file"); ms=$1 mw=$2 mm=$3
	set -- $(measure "$bin/alf-ingest" --profile klipp-placements \
	    --key-file "$key" --year 2024 "$file"); is=$1 iw=$2 im=$3
	echo "round $r cpu s / wall s / peak KiB: csvparse $cs/$cw/$cm  hmacpeer $hs  mlr $ms/$mw/$mm  alf-ingest $is/$iw/$im" |
	    awk -v c="$cs" -v m="$ms" -v i="$is" -v cw="$cw" -v mw="$mw" \
	    -v iw="$iw" '{ printf "%s  mlr/ingest %.2fx cpu %.2fx wall  ingest/csvparse %.2fx cpu %.2fx wall\n",
	    $0, m / i, mw / iw, i / c, iw / cw }'
	echo "$cs $cw $hs $ms $mw $is $iw $im" >> "$t.all"
	r=$((r + 1))
done
trap 'rm -f "$t" "$t.all"' EXIT
col() { awk -v k="$1" '{ print $k }' "$t.all" | median; }
ratio() { awk -v a="$1" -v b="$2" '{ printf "%.4f\n", $a / $b }' "$t.all" | median; }
echo "medians of $rounds rounds: csvparse $(col 1) s cpu / $(col 2) s wall, hmacpeer $(col 3) s, mlr $(col 4) / $(col 5), alf-ingest $(col 6) / $(col 7), peak $(col 8) KiB"
printf 'mlr / alf-ingest: %.2fx cpu, %.2fx wall (want >= 3)\n' "$(ratio 4 6)" "$(ratio 5 7)"
printf 'alf-ingest / csvparse: %.2fx cpu, %.2fx wall (want <= 2)\n' "$(ratio 6 1)" "$(ratio 7 2)"
awk '{ f = $1 + $3; print f, f / $1, $4 / f }' "$t.all" | sort -n |
    awk '{ v[NR] = $0 } END { split(v[int((NR + 1) / 2)], a, " ");
    printf "floor, libcsv alone + the pseudonyms alone: %.2f s cpu = %.2fx csvparse, mlr / floor %.2fx\n", a[1], a[2], a[3] }'

"$bin/alf-ingest" --profile klipp-placements --key-file "$key" --year 2024 \
    --quiet "$file" > "$dir/records.csv" || [ $? -eq 1 ]
set -- $(measure "$bin/alf-normalize" --providers \
    fixtures/stockholm-2024/providers.csv --year 2024 "$dir/records.csv")
echo "alf-normalize on those records: $1 s cpu, $2 s wall, peak $3 KiB"
