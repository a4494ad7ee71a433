#!/usr/bin/env bats
# A property test: alf-allocate against an independent slow computation in
# awk with integers only (quantities in hundredths, so every product stays
# an exact integer below 2^53), over many generated cases.
load helper

setup() { common_setup; }

RH=year,line,title,fund,purpose,payer,method,basis,rate,factor,cap_per_person,pot,round,weight,from,to,internal,detail,select_stream,select_category,select_provider,select_host,select_university,select_year,select_aka,weights,amounts

# gen SEED: activities.csv and the pot and rate of the case
gen() {
	awk -v seed="$1" 'BEGIN {
		srand(seed)
		print "id,year,period,provider,host,unit,category,university,person,salary,stream,qty,uom,src"
		n = 1 + int(rand() * 40)
		np = 1 + int(rand() * 9)
		for (i = 1; i <= n; i++) {
			p = sprintf("P%02d", 1 + int(rand() * np))
			q = int(rand() * 2000)            # hundredths of a week
			if (rand() < 0.3) q = 100 * int(rand() * 3)   # equal shares: ties
			h = rand() < 0.5 ? "H1" : "H2"
			printf "g.csv:%d,2024,2024-%s,%s,,,,,,,vil,%d.%02d,weeks,g.csv:%d\n", i + 1, h, p, q / 100, q % 100, i + 1
		}
	}' > act.csv
	POT=$(( (RANDOM % 100000) + 1 ))
	RATE=$(( (RANDOM % 5000) + 1 ))
}

# the expected allocations, as "line provider period amount" lines
reference() {
	awk -F, -v pot="$POT" -v rate="$RATE" '
	NR == 1 { next }
	{
		split($12, d, "."); q = d[1] * 100 + (d[2] == "" ? 0 : (length(d[2]) == 1 ? d[2] * 10 : d[2] + 0))
		r[$4 " " $3] += q; w[$4] += q; W += q
	}
	END {
		# rate: Σ qty × rate, half away from zero to the krona
		for (k in r) printf "rate %s %d\n", k, int((r[k] * rate + 50) / 100)
		# no weight at all: the pot stays undistributed, every row 0
		if (W == 0) { for (p in w) printf "share %s 2024 0\n", p; exit }
		# share: floor(pot × w / W), then the largest remainders, ties to the smaller id
		n = 0
		for (p in w) { f[p] = int(pot * w[p] / W); rem[p] = pot * w[p] - f[p] * W; left += 0; n++; ids[n] = p; given += f[p] }
		left = pot - given
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
			if (rem[ids[j]] > rem[ids[i]] || (rem[ids[j]] == rem[ids[i]] && ids[j] < ids[i])) { t = ids[i]; ids[i] = ids[j]; ids[j] = t }
		for (i = 1; i <= left; i++) f[ids[i]]++
		for (p in w) printf "share %s 2024 %d\n", p, f[p]
	}' act.csv | sort
}

@test "alf-allocate equals an independent integer computation on 150 generated cases" {
	for seed in $(seq 1 150); do
		RANDOM=$seed
		gen "$seed"
		{ echo "$RH"
		  echo "2024,rate,,ALF,education,HSF,rate,weeks,$RATE,,,,1,,,,false,none,vil,,,,,2024,,,"
		  echo "2024,share,,ALF,education,HSF,share,weeks,,,,$POT,1,,,,false,none,vil,,,,,2024,,,"; } > rules.csv
		alf-allocate --quiet --rules rules.csv act.csv |
		    awk -F, 'NR > 1 { a = $13; sub(/\.00$/, "", a); print $2, $7, $8, a }' | sort > got
		reference > want
		if ! diff want got; then
			echo "seed $seed: pot $POT rate $RATE" >&2
			return 1
		fi
		# the share rows sum to the pot exactly, unless nothing weighs
		sum=$(awk '$1 == "share" { s += $4 } END { print s + 0 }' got)
		[ "$sum" = "$POT" ] || [ "$sum" = 0 ]
	done
}
