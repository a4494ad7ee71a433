#!/bin/sh
# gen-national.sh REGION DIR ROWS MONTHS SEED: one ALF region's exports
# for the national benchmark (issue 15; bench/national.mk runs it once per
# region).  bench/national/regions.csv gives the region's share of ROWS
# placement rows and MONTHS service months (percent; every region but the
# first gets floor(N x pct / 100), the first the rest, so the seven add
# up to N exactly) and its rules:
#   stockholm-2024: bench/gen-klipp.awk (klipp placements),
#     bench/national-hr.awk (service months), Stockholm 2024's HÅP, last
#     year's quantities and providers (the hospitals gen-klipp.awk names);
#   vgr-2024: bench/national-courses.awk (course plan and declared
#     moments, its share of ROWS in the two files together) and
#     fixtures/vgr/providers.csv.
# Seeds: SEED x 10 + the region's row number in regions.csv, so the
# regions' exports differ and each is deterministic.  Writes DIR/rows
# and DIR/months (what was generated) and DIR/.done last.
set -eu
region=$1 dir=$2 rows=$3 months=$4 seed=$5
regions=bench/national/regions.csv
set -- $(awk -F , -v r="$region" -v n="$rows" -v m="$months" '
	NR == 1 { next }
	{ i++; name[i] = $1; rules[i] = $4; rp[i] = $5; mp[i] = $6 }
	END {
		for (k = 2; k <= i; k++) {
			rn[k] = int(n * rp[k] / 100); mn[k] = int(m * mp[k] / 100)
			rs += rn[k]; ms += mn[k]
		}
		rn[1] = n - rs; mn[1] = m - ms
		for (k = 1; k <= i; k++)
			if (name[k] == r)
				print k, rules[k], rn[k], mn[k]
	}' $regions)
[ $# -eq 4 ] || { echo "gen-national.sh: $region: not in $regions" >&2; exit 2; }
idx=$1 rules=$2 r=$3 m=$4 s=$((seed * 10 + idx))
rm -rf "$dir" && mkdir -p "$dir"
case $rules in
stockholm-2024)
	awk -v rows="$r" -v seed="$s" -f bench/gen-klipp.awk > "$dir/klipp-2024.csv"
	awk -v months="$m" -v seed="$s" -f bench/national-hr.awk > "$dir/hr-2024.csv"
	cp fixtures/stockholm-2024/hap.csv fixtures/stockholm-2024/kvantiteter-2023.csv \
	    fixtures/stockholm-2024/providers.csv "$dir/"
	;;
vgr-2024)
	[ "$m" -eq 0 ] || echo "gen-national.sh: $region: $m service months: vgr-2024 reads none" >&2
	awk -v rows="$r" -v seed="$s" -v plan="$dir/kursplan-2024.csv" \
	    -v decl="$dir/momentdeklarationer-2024.csv" -f bench/national-courses.awk
	cp fixtures/vgr/providers.csv "$dir/"
	;;
*)
	echo "gen-national.sh: $region: no generator for rules $rules" >&2; exit 2;;
esac
echo "$r" > "$dir/rows"
echo "$m" > "$dir/months"
touch "$dir/.done"
