# national-hr.awk: an hr-service export of service stretches for the
# national benchmark (issue 15 "National scale benchmark"): `months`
# service months in all, as one- to twelve-month stretches of AT, BT, ST
# and PTP, deterministic from a seed (MINSTD, as bench/gen-klipp.awk).
#   awk -v months=200000 -v seed=1 -f bench/national-hr.awk > hr-2024.csv
function rnd(n) {
	x = (x * 48271) % 2147483647
	return x % n
}
function luhn(s,    i, sum, d) {
	sum = 0
	for (i = 1; i <= 9; i++) {
		d = substr(s, i, 1) * (i % 2 ? 2 : 1)
		sum += d > 9 ? d - 9 : d
	}
	return (10 - sum % 10) % 10
}
BEGIN {
	if (months == "")
		months = 1000
	x = (seed == "" ? 1 : seed) % 2147483646 + 1
	ns = split("AT;BT;ST;PTP", kind, ";")
	nv = split("Karolinska universitetssjukhuset;S\303\266dersjukhuset AB;" \
	    "Danderyds sjukhus AB;SLSO;Capio S:t G\303\266rans Sjukhus AB;" \
	    "S\303\266dert\303\244lje sjukhus", prov, ";")
	nsp = split("Allm\303\244nmedicin;Kirurgi;Internmedicin;Psykiatri;Anestesi", spec, ";")
	printf "Personnummer;Tj\303\244nst;Specialitet;Arbetsgivare;Placering;" \
	    "Fr\303\245n;Till;Sysselsättningsgrad;M\303\245nadsl\303\266n\n"
	n = 0
	while (n < months) {
		len = 1 + rnd(12)
		if (n + len > months)
			len = months - n
		m = 1 + rnd(13 - len)
		body = sprintf("%02d%02d%02d%03d", 70 + rnd(30), 1 + rnd(12),
		    1 + rnd(28), rnd(1000))
		k = kind[1 + rnd(ns)]
		v = prov[1 + rnd(nv)]
		last = m + len - 1
		printf "19%s%d;%s;%s;%s;%s;2024-%02d-01;2024-%02d-%02d;%s;%d %03d\n",
		    body, luhn(body), k, k == "ST" ? spec[1 + rnd(nsp)] : "", v, v,
		    m, last, last == 2 ? 29 : (last ~ /^(4|6|9|11)$/ ? 30 : 31),
		    rnd(5) ? "100" : "75", 35 + rnd(30), rnd(1000)
		n += len
	}
}
