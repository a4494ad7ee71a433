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
trap 'rm -f "$t" "$t.all"' EXIT

# cpu wall peak of one command (exit 1, rows rejected, is a run too)
measure() {
	/usr/bin/time -f '%U %S %e %M' -o "$t" "$@" > /dev/null 2>&1 || true
	tail -n 1 "$t" | awk '{ printf "%.2f %.2f %d\n", $1 + $2, $3, $4 }'
}

# Each round is a line of $t.all: csvparse cpu wall, hmacpeer cpu, mlr cpu
# wall, alf-ingest cpu wall peak ($1 to $8).  med EXPR: the median over
# the rounds of an awk expression of a line.
med() {
	awk "{ print $1 }" "$t.all" | sort -n | awk '{ v[NR] = $1 } END {
	    if (NR % 2) print v[(NR + 1) / 2];
	    else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "rows $rows, $(wc -c < "$file") bytes, Windows-1252, ';', decimal comma; $rounds rounds"
: > "$t.all"
r=1
while [ "$r" -le "$rounds" ]; do
	set -- $(measure "$dir/csvparse" "$file"); cs=$1 cw=$2 cm=$3
	set -- $(measure "$dir/hmacpeer" "$rows"); hs=$1
	set -- $(measure mlr --icsv --ifs ';' --ocsv cat "$file"); ms=$1 mw=$2 mm=$3
	set -- $(measure "$bin/alf-ingest" --profile klipp-placements \
	    --key-file "$key" --year 2024 "$file"); is=$1 iw=$2 im=$3
	echo "$cs $cw $hs $ms $mw $is $iw $im" >> "$t.all"
	tail -n 1 "$t.all" | awk -v r="$r" -v cm="$cm" -v mm="$mm" '{
	    printf "round %d cpu s / wall s / peak KiB: csvparse %s/%s/%s  hmacpeer %s  mlr %s/%s/%s  alf-ingest %s/%s/%s", r, $1, $2, cm, $3, $4, $5, mm, $6, $7, $8;
	    printf "  mlr/ingest %.2fx cpu %.2fx wall  ingest/csvparse %.2fx cpu %.2fx wall\n", $4 / $6, $5 / $7, $6 / $1, $7 / $2 }'
	r=$((r + 1))
done
echo "medians of $rounds rounds: csvparse $(med '$1') s cpu / $(med '$2') s wall, hmacpeer $(med '$3') s, mlr $(med '$4') / $(med '$5'), alf-ingest $(med '$6') / $(med '$7'), peak $(med '$8') KiB"
printf 'mlr / alf-ingest: %.2fx cpu, %.2fx wall (want >= 3)\n' "$(med '$4 / $6')" "$(med '$5 / $7')"
printf 'alf-ingest / csvparse: %.2fx cpu, %.2fx wall (want <= 2)\n' "$(med '$6 / $1')" "$(med '$7 / $2')"
printf 'floor, libcsv alone + the pseudonyms alone: %.2f s cpu = %.2fx csvparse, mlr / floor %.2fx\n' \
    "$(med '$1 + $3')" "$(med '($1 + $3) / $1')" "$(med '$4 / ($1 + $3)')"

"$bin/alf-ingest" --profile klipp-placements --key-file "$key" --year 2024 \
    --quiet "$file" > "$dir/records.csv" || [ $? -eq 1 ]
set -- $(measure "$bin/alf-normalize" --providers \
    fixtures/stockholm-2024/providers.csv --year 2024 "$dir/records.csv")
echo "alf-normalize on those records: $1 s cpu, $2 s wall, peak $3 KiB"
