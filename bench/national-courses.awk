# national-courses.awk: VGR's course exports for the national benchmark
# (issue 15 "National scale benchmark"): a course plan (profile
# course-plan: Kurskod;Termin;Vårdgivare;Enhet;Antal studenter;Kursdagar;
# Reducerad) and its teaching-moment declarations (profile
# course-declarations: Kurskod;Termin;Moment;Kategori;Vårdgivare;Enhet;
# Antal studenter;Dagar per student), `rows` rows in the two files
# together, like fixtures/vgr/*-2024.csv: UTF-8 with a BOM, semicolons,
# VGR's six providers (fixtures/vgr/providers.csv, sometimes by an
# alias), one plan row per course, term, provider and unit followed by
# its one to four declared moments.  Deterministic from a seed (MINSTD,
# as bench/gen-klipp.awk).
#   awk -v rows=900000 -v seed=1 -v plan=kursplan-2024.csv \
#       -v decl=momentdeklarationer-2024.csv -f bench/national-courses.awk
function rnd(n) {
	x = (x * 48271) % 2147483647
	return x % n
}
BEGIN {
	if (rows == "")
		rows = 1000
	x = (seed == "" ? 1 : seed) % 2147483646 + 1
	nv = split("Sahlgrenska Universitetssjukhuset;Sahlgrenska Universitetssjukhuset;" \
	    "Sahlgrenska;Södra Älvsborgs Sjukhus;SÄS;NU-sjukvården;NÄL;" \
	    "Skaraborgs Sjukhus;SkaS;Närhälsan;Närhälsan vårdcentraler;" \
	    "Capio Lundby Närsjukhus", prov, ";")
	nu = split("Medicinkliniken;Kirurgkliniken;Psykiatri;Akutkliniken;" \
	    "Akutmottagningen;Barnkliniken;Kvinnokliniken;Ortopedi;" \
	    "Klinisk patologi;Vårdcentraler Göteborg;Vårdcentraler Fyrbodal;" \
	    "Infektionskliniken;Neurologi;Hudkliniken", unit, ";")
	# moment;Kategori, the category as the fixtures write it (the
	# profile's open map passes it) or in Swedish (the map translates)
	nm = split("Föreläsningar;lecture|Föreläsningar;Föreläsning|" \
	    "Auskultation på avdelning;vfu|Auskultation;VFU|" \
	    "Operationsauskultation;vfu|Bedside-undervisning;vfu-adapted|" \
	    "Studentledd mottagning;vfu-adapted|Handledd mottagning;VFU-anpassad|" \
	    "Egen patientmottagning;vfu-adapted|" \
	    "Akutmottagning med handledare;vfu-adapted|Seminarier;smallgroup|" \
	    "Fallseminarier;smallgroup|Färdighetsträning;Smågrupp", mom, "|")
	printf "\357\273\277Kurskod;Termin;Vårdgivare;Enhet;Antal studenter;" \
	    "Kursdagar;Reducerad\n" > plan
	printf "\357\273\277Kurskod;Termin;Moment;Kategori;Vårdgivare;Enhet;" \
	    "Antal studenter;Dagar per student\n" > decl
	n = 0
	while (n < rows) {
		course = sprintf("LK%d%03d", 1 + rnd(11), rnd(1000))
		term = rnd(2) ? "VT24" : "HT24"
		v = prov[1 + rnd(nv)]
		u = unit[1 + rnd(nu)]
		students = 5 + rnd(56)
		days = 5 + rnd(36)
		printf "%s;%s;%s;%s;%d;%d;%s\n", course, term, v, u, students,
		    days, rnd(8) ? "Nej" : "Ja" > plan
		n++
		for (k = 1 + rnd(4); k > 0 && n < rows; k--) {
			m = mom[1 + rnd(nm)]
			printf "%s;%s;%s;%s;%s;%d;%s\n", course, term, m, v, u,
			    students, rnd(10) ? 1 + rnd(20) : (1 + rnd(9)) ",5" > decl
			n++
		}
	}
}
