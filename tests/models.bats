#!/usr/bin/env bats
# The models of issue 12 on their fixtures, through the real pipeline:
# VGR's move to an activity-based model and the national level.
load helper

setup() { common_setup; }

# vgr YEAR: allocations of vgr-YEAR with the internal lines, from the exports
vgr() {
	(cd "$FIX/vgr" && {
		alf-ingest --quiet --profile course-plan "kursplan-$1.csv"
		alf-ingest --quiet --profile course-declarations "momentdeklarationer-$1.csv" | tail -n +2
	}) | alf-normalize --quiet --providers "$FIX/vgr/providers.csv" --year "$1" |
	    alf-allocate --quiet --internal --model "vgr-$1" > "vgr-$1.csv"
}

# amount of line $2 for provider $3 in allocations $1 (whole kronor)
amount() {
	sed 's/"[^"]*"/T/g' "$1" |
	    awk -F, -v l="$2" -v p="$3" '$2 == l && $7 == p { a = $NF; sub(/\.00$/, "", a); print a }'
}

@test "VGR: old and new model and the blend each share the 108 mnkr pot exactly, every year" {
	for y in 2024 2025 2026; do
		vgr $y
		for l in vgr-old vgr-new vgr; do
			[ "$(awk -F, -v l=$l '$2 == l { s += $NF } END { printf "%.2f", s }' vgr-$y.csv)" = 108000000.00 ]
		done
		[ "$(grep -c ',vgr,.*,blend,' vgr-$y.csv)" -eq 6 ]
	done
}

@test "VGR: the old model pays course length (reduced courses at 1/2), the new model declared moments" {
	vgr 2024
	# old: SU weighs 1800+1400+600/2+1050+750/2 = 4925 of 10 850 course days
	# (49 023 041.47, one of the units the largest remainders get); 5 600 days
	[ "$(amount vgr-2024.csv vgr-old SU)" = 49023042 ]
	[ "$(sed 's/"[^"]*"/T/g' vgr-2024.csv | awk -F, '$2 == "vgr-old" && $7 == "SU" { print $10 }')" = 5600 ]
	# new: lectures weigh 0, so Närhälsan's patient-facing moments win
	[ "$(amount vgr-2024.csv vgr-new NH)" -gt "$(amount vgr-2024.csv vgr-old NH)" ]
	[ "$(amount vgr-2024.csv vgr-new SU)" -lt "$(amount vgr-2024.csv vgr-old SU)" ]
}

@test "VGR: the blend moves 1/3, 2/3 and all the way from old to new; some units win, some lose" {
	for y in 2024 2025 2026; do vgr $y; done
	for p in SU SAS NU SKAS NH CAPIOLB; do
		old=$(amount vgr-2024.csv vgr-old $p)
		new=$(amount vgr-2024.csv vgr-new $p)
		b24=$(amount vgr-2024.csv vgr $p)
		b25=$(amount vgr-2025.csv vgr $p)
		b26=$(amount vgr-2026.csv vgr $p)
		# 2026 is the new model in full (the same courses each year)
		[ "$b26" = "$new" ]
		# within a krona of old + (new − old) × w (the pot's remainders decide the last krona)
		for pair in "$b24 1" "$b25 2"; do
			set -- $pair
			want=$(( old * 3 + (new - old) * $2 ))
			d=$(( $1 * 3 - want ))
			[ "${d#-}" -le 3 ]
		done
	done
	# SU loses year by year, Närhälsan gains
	[ "$(amount vgr-2024.csv vgr SU)" -gt "$(amount vgr-2025.csv vgr SU)" ]
	[ "$(amount vgr-2025.csv vgr SU)" -gt "$(amount vgr-2026.csv vgr SU)" ]
	[ "$(amount vgr-2024.csv vgr NH)" -lt "$(amount vgr-2026.csv vgr NH)" ]
	# the published blend lines are exact figures of this fixture
	run awk -F, '$2 == "vgr" { print $7, $NF }' vgr-2024.csv
	assert_output "CAPIOLB 2761027.00
NH 22733295.00
NU 13832168.00
SAS 16415816.00
SKAS 10105003.00
SU 42152691.00"
}

# national MODEL: allocations of a national model from its quantities export
national() {
	(cd "$FIX/national" && alf-ingest --quiet --profile quantities kvantiteter-2024.csv) |
	    alf-normalize --quiet --providers "$FIX/national/providers.csv" --year 2024 |
	    alf-allocate --quiet --model "$1" > "$1.csv"
}

@test "national: education ALF per HST with the regional uplift, within the state's ceiling" {
	national national-2024
	national national-2024-clinical
	for m in national-2024 national-2024-clinical; do
		[ "$(awk -F, '$2 == "utb" { s += $NF } END { printf "%.2f", s }' $m.csv)" = 900000000.00 ]
	done
	# Stockholm: 2 000 HST × 12/11 of 900 mnkr's weighted 2 133.6 HST (first variant)
	[ "$(amount national-2024.csv utb STHLM)" = 236220472 ]
	# the 12th term on the clinical terms only: regions with many clinical students gain
	for p in VASTERBOTTEN STHLM OSTERGOTLAND; do
		[ "$(amount national-2024-clinical.csv utb $p)" -gt "$(amount national-2024.csv utb $p)" ]
	done
	for p in UPPSALA SKANE VGR OREBRO; do
		[ "$(amount national-2024-clinical.csv utb $p)" -lt "$(amount national-2024.csv utb $p)" ]
	done
}

@test "national: research ALF 80 % by base shares and 20 % by quality, with purpose research" {
	national national-2024
	[ "$(awk -F, '$2 == "fou-bas" { s += $NF } END { printf "%.2f", s }' national-2024.csv)" = 1280000000.00 ]
	[ "$(awk -F, '$2 == "fou-kvalitet" { s += $NF } END { printf "%.2f", s }' national-2024.csv)" = 320000000.00 ]
	[ "$(grep -c '^2024,fou-[a-z]*,.*,ALF-F,research,STATEN,' national-2024.csv)" -eq 14 ]
	! grep -q ',ALF-U,research,' national-2024.csv
	grep -q '"synthetic": true' "$MODELS/national-2024.json"
}
