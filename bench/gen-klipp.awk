# gen-klipp.awk: a klipp-placements export of any size for the benchmark
# (issue 11 "Performance"), deterministic from a seed: Windows-1252
# bytes, semicolons, CRLF, decimal commas, valid synthetic personal
# identity numbers (Luhn-checked, some samordningsnummer).
#   awk -v rows=500000 -v seed=1 -f bench/gen-klipp.awk > klipp.csv
# The generator is its own MINSTD generator, so every awk gives the same
# bytes (x × 48271 stays below 2^53, exact in awk's doubles).
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
function pnr(    y, m, d, body) {
	y = 1960 + rnd(45)
	m = 1 + rnd(12)
	d = 1 + rnd(28) + (rnd(50) == 0 ? 60 : 0)
	body = sprintf("%02d%02d%02d%03d", y % 100, m, d, rnd(1000))
	return rnd(2) ? int(y / 100) body luhn(body) : sprintf("%s-%s", substr(body, 1, 6), \
	    substr(body, 7) luhn(body))
}
BEGIN {
	if (rows == "")
		rows = 1000
	x = (seed == "" ? 1 : seed) % 2147483646 + 1
	np = split("L\344karprogrammet;Sjuksk\366terskeprogrammet;" \
	    "Fysioterapeutprogrammet;Socionomprogrammet;Logopedprogrammet;" \
	    "Barnmorskeprogrammet;Arbetsterapeutprogrammet", prog, ";")
	nv = split("Karolinska Universitetssjukhuset Solna;S\366dersjukhuset;" \
	    "Danderyds sjukhus;SLSO;Capio S:t G\366rans sjukhus;Ersta sjukhus;" \
	    "S\366dert\344lje sjukhus", prov, ";")
	nu = split("Kirurgi;Medicin;Ortopedi;Akuten;Psykiatri;Geriatrik;" \
	    "Barnmedicin;Kvinnokliniken", unit, ";")
	nf = split("Karin;Lars;\305sa;Bj\366rn;\304lva;\326rjan;Maja;Nils", first, ";")
	nl = split("Andersson;Berg;Ekstr\366m;Lund;\326berg;Sj\366berg", last, ";")
	printf "Personnummer;Namn;Program;L\344ros\344te;Kurskod;Termin;" \
	    "V\345rdgivare;Enhet;Startdatum;Slutdatum;Omfattning %%;Niv\345\r\n"
	for (i = 0; i < rows; i++) {
		p = 1 + rnd(np)
		m = 1 + rnd(11)
		d = 1 + rnd(20)
		len = 7 * (1 + rnd(8))
		sm = m
		sd = d + len
		while (sd > 28) {
			sd -= 28
			sm++
		}
		if (sm > 12) {
			sm = 12
			sd = 20
		}
		ext = rnd(4) ? "100" : (rnd(2) ? "62,5" : "50")
		printf "%s;%s %s;%s;Karolinska Institutet;K%04d;%s;%s;%s;" \
		    "2024-%02d-%02d;2024-%02d-%02d;%s;%s\r\n", pnr(), \
		    first[1 + rnd(nf)], last[1 + rnd(nl)], prog[p], rnd(10000), \
		    m <= 6 ? "VT24" : "HT24", prov[1 + rnd(nv)], \
		    unit[1 + rnd(nu)], m, d, sm, sd, ext, \
		    p == 1 ? "VFU " (1 + rnd(4)) : ""
	}
}
