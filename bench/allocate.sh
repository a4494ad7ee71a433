#!/bin/sh
# bench/allocate.sh N: alf-allocate on N generated activities against the
# same group-by sum in Miller (mlr stats1 -a sum) and in mawk, measured in
# the same run.  Prints seconds, peak memory and the ratios.
set -eu
n=${1:-5000000}
bin=${ALF_BIN:-bin}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mawk -v n="$n" -v seed=1 -f bench/gen-activities.awk > "$dir/act.csv"
cat > "$dir/rules.csv" <<'R'
year,line,title,fund,purpose,payer,method,basis,rate,factor,cap_per_person,pot,round,weight,from,to,internal,detail,select_stream,select_category,select_provider,select_host,select_university,select_year,select_aka,weights,amounts
2024,vil,,HSF,education,HSF,rate,weeks,700,,,,1,,,,false,none,vil,,,,,2024,,,
2024,vil-share,,HSF,education,HSF,share,weeks,,,,10000000,1,,,,false,none,vil,,,,,2024,,,
2024,bt-sido,,HSF,education,HSF,rate,months,20000,,6,,1,,,,false,none,bt-sido,,,,,2024,,,
R
# seconds and peak KiB of one command, from GNU time's format
measure() {
	/usr/bin/time -f '%e %M' -o "$dir/time" "$@" > /dev/null
	cat "$dir/time"
}
set -- $(measure "$bin/alf-allocate" --quiet --rules "$dir/rules.csv" "$dir/act.csv"); a_s=$1 a_kb=$2
set -- $(measure mlr --icsv --ocsv stats1 -a sum -f qty -g provider,period,stream "$dir/act.csv"); m_s=$1
set -- $(measure mawk -F, 'NR > 1 { s[$4 "," $3 "," $11] += $12 } END { for (k in s) print k "," s[k] }' "$dir/act.csv"); w_s=$1
echo "alf-allocate on $n activities: ${a_s} s, peak ${a_kb} KiB"
echo "mlr stats1 -a sum: ${m_s} s; mawk group-by sum: ${w_s} s"
echo "ratio mlr/alf-allocate: $(echo "scale=2; $m_s / $a_s" | bc) (goal >= 3)"
echo "ratio alf-allocate/mawk: $(echo "scale=2; $a_s / $w_s" | bc) (goal <= 1.5)"
