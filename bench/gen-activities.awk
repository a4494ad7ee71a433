# gen-activities.awk: a deterministic activities.csv for benchmarks.
#   mawk -v n=5000000 -v seed=1 -f bench/gen-activities.awk > act.csv
# Providers P000–P199, VIL weeks per half-year with a quarter of the rows
# in BT side service months (a capped line), persons for those.
BEGIN {
	if (n == "") n = 1000000
	if (seed == "") seed = 1
	srand(seed)
	print "id,year,period,provider,host,unit,category,university,person,salary,stream,qty,uom,src"
	for (i = 1; i <= n; i++) {
		p = sprintf("P%03d", int(rand() * 200))
		if (i % 4 == 0) {
			m = 1 + int(rand() * 12)
			printf "g.csv:%d,2024,2024-%02d,%s,,,,,p%06d,,bt-sido,%d.%02d,months,g.csv:%d\n", i + 1, m, p, int(rand() * 100000), int(rand() * 2), int(rand() * 100), i + 1
		} else {
			h = rand() < 0.5 ? 1 : 2
			printf "g.csv:%d,2024,2024-H%d,%s,,,vil,KI,,,vil,%d.%d,weeks,g.csv:%d\n", i + 1, h, p, int(rand() * 10), int(rand() * 10), i + 1
		}
	}
}
