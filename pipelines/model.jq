# model.jq: validate a budget model and flatten it to CSV for the C tools.
#
#   jq -r -f model.jq --arg mode rules|meta|all --arg prog PROG --arg file FILE \
#      --rawfile streams streams.csv FILE
#
# mode rules: the rules CSV alf-allocate reads (one row per line).
# mode meta:  section,key,field,value rows alf-invoice reads (payers,
#             invoicing, accounts, inputs, recharges).
# mode all:   meta's checks; meta, a line of U+001D alone, then rules.
# The first problem found is one line on standard error,
#   PROG: FILE: line ID: FIELD: what is wrong (VALUE)
#   PROG: FILE: FIELD: what is wrong (VALUE)
# and exit status 2. Money is kept as the strings the model writes: jq holds
# numbers as doubles, so a number where money belongs is an error.

# --- Helpers -------------------------------------------------------------

# How a value is named in a message: strings as written, others as JSON.
def shown: if . == null then "missing" elif type == "string" then . else tojson end;

def msg($field; $what; $v): "\($field): \($what) (\($v | shown))";
def linemsg($id; $field; $what; $v): "line \($id): " + msg($field; $what; $v);

def isdecimal: type == "string" and test("^[0-9]+(\\.[0-9]+)?$");
def isfraction: type == "string" and test("^[0-9]+/[1-9][0-9]*$");
def isint: type == "number" and . == floor;
def isid: type == "string" and test("^[A-Z0-9_]+$");
def isdate:
	type == "string" and test("^[0-9]{4}-[0-9]{2}-[0-9]{2}$") and
	(split("-") | map(tonumber) as [$y, $m, $d] |
	 ($y % 4 == 0 and ($y % 100 != 0 or $y % 400 == 0)) as $leap |
	 $m >= 1 and $m <= 12 and $d >= 1 and
	 $d <= ([31, (if $leap then 29 else 28 end), 31, 30, 31, 30,
		31, 31, 30, 31, 30, 31][$m - 1]));
def isorgnr:
	type == "string" and test("^[0-9]{6}-[0-9]{4}$") and
	(gsub("-"; "") | explode | map(. - 48) | to_entries |
	 map(if .key % 2 == 0 then .value * 2 else .value end |
	     if . > 9 then . - 9 else . end) | add % 10 == 0);

# Why a value is not a decimal string (amounts, rates, pots are >= 0), or
# empty when it is one. $frac: a fraction "N/D" is allowed too.
def whynotdecimal($frac):
	if isdecimal or ($frac and isfraction) then empty
	elif type == "string" and startswith("-") then "negative amount"
	elif $frac then "not a decimal string or fraction"
	else "not a decimal string"
	end;

# A blend weight past 1 (decimal or fraction; anything else is false).
def morethanone:
	if isfraction then split("/") | map(tonumber) | .[0] > .[1]
	elif isdecimal then test("^0*1\\.0*[1-9]") or (split(".")[0] | tonumber) > 1
	else false end;

def csvfield:
	tostring | if test("[,\"\r\n]") then "\"" + gsub("\""; "\"\"") + "\"" else . end;
def csvrow: map(csvfield) | join(",");

def aslist: if type == "array" then . else [.] end;
def joinlist: if . == null then "" else aslist | join("|") end;
def joinmap: if . == null then "" else to_entries | map("\(.key)=\(.value)") | join("|") end;
def isstrlist: type == "string" or (type == "array" and length > 0 and all(.[]; type == "string"));

# streams.csv: stream -> uom (header skipped, CR tolerated).
def streamtable:
	$streams | split("\n") | .[1:] | map(sub("\r$"; "") | select(length > 0) | split(",")) |
	map({key: .[0], value: .[1]}) | from_entries;

def prefix: "\($prog): \($file): ";

# --- Checks shared by both modes -------------------------------------------

def basisunits: ["weeks", "days", "months", "hap", "hst", "score", "kr"];
def linefields: ["id", "title", "fund", "purpose", "payer", "method", "select",
	"basis", "rate", "factor", "cap_per_person", "pot", "round", "weight",
	"from", "to", "internal", "detail", "weights", "amounts", "note"];
def selectfields: ["stream", "category", "provider", "host", "university", "year", "aka"];
# Fields that belong to one method only (rate lines may have weights too).
def methodfields:
	{rate: ["select", "basis", "rate", "factor", "cap_per_person", "pot", "weights"],
	 share: ["select", "basis", "pot", "weights"],
	 fixed: ["amounts"],
	 blend: ["from", "to", "weight"]};
def allmethodfields: ["select", "basis", "rate", "factor", "cap_per_person", "pot",
	"weights", "amounts", "from", "to", "weight"];

# A decimal-string field of object $o, at message path $f.
def decimalfield($o; $k; $f; $frac):
	if $o | has($k) then
		($o[$k] | whynotdecimal($frac)) as $w | msg($f; $w; $o[$k])
	else empty end;

# A map of decimal strings (amounts, weights).
def decimalmap($o; $k; $f; $frac; $idkeys):
	if $o | has($k) | not then empty
	elif ($o[$k] | type) != "object" or ($o[$k] | length) == 0 then
		msg($f; "not a non-empty object"; $o[$k])
	else
		$o[$k] | to_entries[] |
		(if $idkeys and (.key | isid | not) then
			msg("\($f).\(.key)"; "not a provider id"; .key)
		 else empty end),
		((.value | whynotdecimal($frac)) as $w | msg("\($f).\(.key)"; $w; .value))
	end;

def selectchecks($s; $f; $need; $uoms; $fields):
	if $s == null then
		(if $need != null then msg("\($f).stream"; $need; null) else empty end)
	elif ($s | type) != "object" then msg($f; "not an object"; $s)
	else
		($s | keys_unsorted[] | select(. as $k | $fields | index([$k]) | not) |
			msg("\($f).\(.)"; "unknown field"; $s[.])),
		(if ($s | has("stream") | not) then
			(if $need != null then msg("\($f).stream"; $need; null) else empty end)
		 elif ($s.stream | isstrlist | not) then
			msg("\($f).stream"; "not a string or list of strings"; $s.stream)
		 else
			$s.stream | aslist | .[] | select($uoms[.] == null) |
			msg("\($f).stream"; "unknown stream"; .)
		 end),
		(("category", "provider", "host", "university") as $k |
		 if ($s | has($k)) and ($s[$k] | isstrlist | not) then
			msg("\($f).\($k)"; "not a string or list of strings"; $s[$k])
		 elif ($k == "provider" or $k == "host") and ($s | has($k)) then
			$s[$k] | aslist | .[] | select(isid | not) |
			msg("\($f).\($k)"; "not a provider id"; .)
		 else empty end),
		(if ($s | has("year")) and ($s.year != -1) and
		    (($s.year | isint | not) or $s.year < 1000 or $s.year > 9999) then
			msg("\($f).year"; "not a year or -1"; $s.year)
		 else empty end),
		(if ($s | has("aka")) and ($s.aka | type) != "boolean" then
			msg("\($f).aka"; "not true or false"; $s.aka)
		 else empty end)
	end;

def topchecks:
	if type != "object" then msg("."; "not a JSON object"; type)
	else
	(if (.model | type) != "string" or .model == "" then msg("model"; "not a non-empty string"; .model) else empty end),
	(if (.year | isint | not) or .year < 1000 or .year > 9999 then msg("year"; "not a year"; .year) else empty end),
	(if has("round") | not then msg("round"; "required"; null)
	 else decimalfield(.; "round"; "round"; false),
		(if (.round | tonumber) <= 0 then msg("round"; "not positive"; .round) else empty end)
	 end),
	(if has("synthetic") and (.synthetic | type) != "boolean" then
		msg("synthetic"; "not true or false"; .synthetic) else empty end),
	(if (.funds | type) != "object" or (.funds | length) == 0 then
		msg("funds"; "not a non-empty object"; .funds)
	 else .funds | to_entries[] | select(.value != "education" and .value != "research") |
		msg("funds.\(.key)"; "not education or research"; .value)
	 end),
	(if has("payers") | not then empty
	 elif (.payers | type) != "object" then msg("payers"; "not an object"; .payers)
	 else .payers | to_entries[] | .key as $k | .value as $p | "payers.\($k)" as $f |
		if ($k | isid | not) then msg($f; "not a payer id"; $k)
		elif ($p | type) != "object" then msg($f; "not an object"; $p)
		else
			(("name", "org_nr", "reference") as $r | select($p[$r] == null) |
				msg("\($f).\($r)"; "required"; null)),
			($p | to_entries[] | select(.value | type != "string") |
				msg("\($f).\(.key)"; "not a string"; .value)),
			(if ($p.org_nr | isorgnr | not) then
				msg("\($f).org_nr"; "not an organisation number NNNNNN-NNNN"; $p.org_nr)
			 else empty end)
		end
	 end)
	end;

# --- Lines ---------------------------------------------------------------------

def linechecks($m; $uoms):
	if (.lines | type) != "array" or (.lines | length) == 0 then
		msg("lines"; "not a non-empty array"; .lines)
	else
	(.lines | map(.id?)) as $ids |
	(.lines | to_entries[] | .key as $n | .value as $l |
	 if ($l | type) != "object" then msg("lines.\($n)"; "not an object"; $l)
	 elif ($l.id | type) != "string" or $l.id == "" then
		msg("lines.\($n).id"; "not a non-empty string"; $l.id)
	 else
		$l.id as $id |
		def bad($f; $what; $v): linemsg($id; $f; $what; $v);
		def badmsg: "line \($id): " + .;
		(if ($ids[0:$n] | index([$id])) then bad("id"; "duplicate line id"; $id) else empty end),
		($l | keys_unsorted[] | select(. as $k | linefields | index([$k]) | not) |
			bad(.; "unknown field"; $l[.])),
		(("title", "note") as $k | select(($l | has($k)) and ($l[$k] | type) != "string") |
			bad($k; "not a string"; $l[$k])),
		(if ["rate", "share", "fixed", "blend"] | index([$l.method]) | not then
			bad("method"; "not one of rate, share, fixed, blend"; $l.method)
		 else
			$l.method as $meth |
			(allmethodfields[] | . as $k | select(($l | has($k)) and (methodfields[$meth] | index([$k]) | not)) |
				bad(.; "not used by method \($meth)"; $l[.])),
			(if $m.funds[$l.fund | tostring?] == null or ($l.fund | type) != "string" then
				bad("fund"; "not a key of funds"; $l.fund)
			 else empty end),
			(if $l.payer == "@university" then empty
			 elif ($l.payer | type) != "string" or (($m.payers // {}) | has($l.payer) | not) then
				bad("payer"; "not a key of payers or @university"; $l.payer)
			 else empty end),
			(if ($l | has("purpose")) and $l.purpose != "education" and $l.purpose != "research" then
				bad("purpose"; "not education or research"; $l.purpose)
			 elif $l.purpose == "research" and $m.funds[$l.fund] == "education" then
				# 002 §6: education money may not become research money.
				bad("purpose"; "education money must not become research money"; $l.purpose)
			 else empty end),
			(if ($meth == "rate" or $meth == "share") then
				(selectchecks($l.select; "select"; "required by method \($meth)"; $uoms; selectfields) | badmsg)
			 else empty end),
			(if ($l | has("basis")) and (basisunits | index([$l.basis]) | not) then
				bad("basis"; "not one of \(basisunits | join(" "))"; $l.basis)
			 else empty end),
			(if $meth == "rate" and ($l | has("rate") | not) then bad("rate"; "required by method rate"; null)
			 else empty end),
			(if ($meth == "share") and ($l | has("pot") | not) then bad("pot"; "required by method share"; null)
			 else empty end),
			(if $meth == "fixed" and ($l | has("amounts") | not) then bad("amounts"; "required by method fixed"; null)
			 else empty end),
			(("from", "to", "weight") as $k | select($meth == "blend" and ($l | has($k) | not)) |
				bad($k; "required by method blend"; null)),
			((("rate", "cap_per_person", "pot", "round") as $k | decimalfield($l; $k; $k; false)),
			 (("factor", "weight") as $k | decimalfield($l; $k; $k; true)),
			 decimalmap($l; "weights"; "weights"; true; false),
			 decimalmap($l; "amounts"; "amounts"; false; true) | badmsg),
			(if $meth == "blend" and ($l.weight | morethanone) then
				# a weight above 1 goes past the new line: negative amounts
				bad("weight"; "more than 1"; $l.weight)
			 else empty end),
			(if ($l | has("round")) and ($l.round | isdecimal) and ($l.round | tonumber) <= 0 then
				bad("round"; "not positive"; $l.round)
			 else empty end),
			(("from", "to") as $k | select(($l | has($k)) and ($ids | index([$l[$k]]) | not)) |
				bad($k; "not a line id"; $l[$k])),
			(if ($l | has("internal")) and ($l.internal | type) != "boolean" then
				bad("internal"; "not true or false"; $l.internal)
			 else empty end),
			(if ($l | has("detail")) and (["none", "category", "person"] | index([$l.detail]) | not) then
				bad("detail"; "not none, category or person"; $l.detail)
			 else empty end)
		 end)
	 end)
	end;

# A blend may not depend on itself through its from/to lines.
def cyclechecks:
	(.lines | map({key: .id, value: .}) | from_entries) as $byid |
	def reaches($target; $seen):
		. as $id | $byid[$id] as $l |
		if $l.method != "blend" or ($seen | index([$id])) then false
		else [$l.from, $l.to][] | (. == $target or reaches($target; $seen + [$id]))
		end;
	.lines[] | select(.method == "blend") | . as $l |
	first(("from", "to") as $k |
		select([$l[$k] | . == $l.id or reaches($l.id; [])] | any) |
		linemsg($l.id; $k; "blend cycle"; $l[$k]));

# --- Meta-only checks ------------------------------------------------------

def invoicingchecks:
	.invoicing as $i |
	if ($i | type) != "object" then msg("invoicing"; "not an object"; $i)
	else
		(("H1", "H2") as $h | select($i.dates[$h]? | isdate | not) |
			msg("invoicing.dates.\($h)"; "not a date YYYY-MM-DD"; $i.dates[$h]?)),
		(("deadline", "settlement_date", "file_date") as $k |
			select(($i | has($k)) and ($i[$k] | isdate | not)) |
			msg("invoicing.\($k)"; "not a date YYYY-MM-DD"; $i[$k])),
		(if ($i | has("payment_days")) and (($i.payment_days | isint | not) or $i.payment_days < 0) then
			msg("invoicing.payment_days"; "not an integer"; $i.payment_days)
		 else empty end),
		(if ($i | has("monthly_day")) and (($i.monthly_day | isint | not) or $i.monthly_day < 1 or $i.monthly_day > 28) then
			msg("invoicing.monthly_day"; "not a day 1-28"; $i.monthly_day)
		 else empty end),
		decimalfield($i; "vat_compensation"; "invoicing.vat_compensation"; false),
		(if ($i | has("monthly_payer")) and ((.payers // {}) | has($i.monthly_payer | tostring) | not) then
			msg("invoicing.monthly_payer"; "not a key of payers"; $i.monthly_payer)
		 else empty end)
	end;

def accountchecks:
	if has("accounts") | not then empty
	elif (.accounts | type) != "object" then msg("accounts"; "not an object"; .accounts)
	else .accounts | to_entries[] |
		if .key == "names" then
			if (.value | type) != "object" then msg("accounts.names"; "not an object"; .value)
			else .value | to_entries[] |
				(if (.key | test("^[0-9]+$") | not) then
					msg("accounts.names.\(.key)"; "not an account number"; .key) else empty end),
				(if (.value | type) != "string" then
					msg("accounts.names.\(.key)"; "not a string"; .value) else empty end)
			end
		elif (.value | type) != "string" or (.value | test("^[0-9]+$") | not) then
			msg("accounts.\(.key)"; "not an account number"; .value)
		else empty end
	end;

def inputchecks:
	if has("inputs") | not then empty
	elif (.inputs | type) != "array" then msg("inputs"; "not an array"; .inputs)
	else .inputs | to_entries[] | .key as $n | .value as $in |
		if ($in | type) != "object" then msg("inputs.\($n)"; "not an object"; $in)
		else
			(("file", "profile") as $k | select($in[$k] | type != "string") |
				msg("inputs.\($n).\($k)"; "not a string"; $in[$k])),
			(if ($in | has("year")) and (($in.year | isint | not) or $in.year < 1000 or $in.year > 9999) then
				msg("inputs.\($n).year"; "not a year"; $in.year)
			 else empty end)
		end
	end;

def rechargechecks($uoms):
	if has("recharges") | not then empty
	elif (.recharges | type) != "array" then msg("recharges"; "not an array"; .recharges)
	else
	(.recharges | map(.id?)) as $ids |
	.recharges | to_entries[] | .key as $n | .value as $r |
	if ($r | type) != "object" then msg("recharges.\($n)"; "not an object"; $r)
	elif ($r.id | type) != "string" or $r.id == "" then
		msg("recharges.\($n).id"; "not a non-empty string"; $r.id)
	else
		"recharges.\($r.id)" as $f |
		(if ($ids[0:$n] | index([$r.id])) then msg("\($f).id"; "duplicate recharge id"; $r.id) else empty end),
		($r | keys_unsorted[] | select(. as $k | ["id", "title", "select", "issuer", "recipient",
			"basis", "price", "after_months", "amounts", "note"] | index([$k]) | not) |
			msg("\($f).\(.)"; "unknown field"; $r[.])),
		(if ($r | has("amounts")) then
			(if $r.issuer != "each" then msg("\($f).issuer"; "not each, as amounts need"; $r.issuer) else empty end),
			decimalmap($r; "amounts"; "\($f).amounts"; false; true)
		 else
			selectchecks($r.select; "\($f).select"; "required without amounts"; $uoms; ["stream", "category", "provider", "host"]),
			(if ($r.issuer | type) != "string" or ($r.issuer != "host" and $r.issuer != "provider" and ($r.issuer | isid | not)) then
				msg("\($f).issuer"; "not host, provider or a provider id"; $r.issuer) else empty end),
			(if ($r | has("price") | not) then msg("\($f).price"; "required"; null)
			 elif $r.price == "salary" then empty
			 else decimalfield($r; "price"; "\($f).price"; false) end)
		 end),
		(if ($r.recipient | type) != "string" or ($r.recipient != "host" and $r.recipient != "provider" and ($r.recipient | isid | not)) then
			msg("\($f).recipient"; "not host, provider or a provider id"; $r.recipient) else empty end),
		(if ($r | has("basis")) and (basisunits | index([$r.basis]) | not) then
			msg("\($f).basis"; "not one of \(basisunits | join(" "))"; $r.basis) else empty end),
		(if ($r | has("after_months")) and (($r.after_months | isint | not) or $r.after_months < 0) then
			msg("\($f).after_months"; "not an integer"; $r.after_months) else empty end),
		(if ($r | has("title")) and ($r.title | type) != "string" then
			msg("\($f).title"; "not a string"; $r.title) else empty end)
	end
	end;

# --- Output ----------------------------------------------------------------------

def rulesheader:
	["year", "line", "title", "fund", "purpose", "payer", "method", "basis", "rate",
	 "factor", "cap_per_person", "pot", "round", "weight", "from", "to", "internal",
	 "detail", "select_stream", "select_category", "select_provider", "select_host",
	 "select_university", "select_year", "select_aka", "weights", "amounts"];

def rules($uoms):
	. as $m |
	(rulesheader | csvrow),
	(.lines[] | . as $l | (.select // {}) as $s |
	 [$m.year, .id, (.title // .id), .fund, (.purpose // "education"), .payer, .method,
	  (if .method == "fixed" or .method == "blend" then ""
	   else .basis // $uoms[$s.stream | aslist | .[0]] end),
	  (.rate // ""), (.factor // ""), (.cap_per_person // ""), (.pot // ""),
	  (.round // $m.round), (.weight // ""), (.from // ""), (.to // ""),
	  (if .internal == true then "true" else "false" end), (.detail // "none"),
	  ($s.stream | joinlist), ($s.category | joinlist), ($s.provider | joinlist),
	  ($s.host | joinlist), ($s.university | joinlist),
	  (if $s.year == null then $m.year elif $s.year == -1 then $m.year - 1 else $s.year end),
	  (if $s.aka == true then "true" else "" end),
	  (.weights | joinmap), (.amounts | joinmap)] | csvrow);

def meta($uoms):
	def row($sec; $key; $field; $v): [$sec, $key, $field, $v] | csvrow;
	(["section", "key", "field", "value"] | csvrow),
	row("model"; ""; "model"; .model),
	row("model"; ""; "year"; .year),
	row("model"; ""; "round"; .round),
	row("model"; ""; "synthetic"; (if .synthetic == true then "true" else "false" end)),
	(.funds | to_entries[] | row("fund"; .key; "purpose"; .value)),
	((.payers // {}) | to_entries[] | .key as $k | .value as $p |
		("name", "org_nr", "reference", "street", "postal_code", "city", "series") |
		. as $f | select($p | has($f)) | row("payer"; $k; $f; $p[$f])),
	(.invoicing as $i |
		(("H1", "H2") | row("invoicing"; "dates"; .; $i.dates[.])),
		(("deadline", "payment_days", "vat_compensation", "monthly_payer", "monthly_day",
		  "settlement_date", "file_date") | . as $f | select($i | has($f)) | row("invoicing"; ""; $f; $i[$f]))),
	((.accounts // {}) | to_entries[] |
		if .key == "names" then .value | to_entries[] | row("accounts"; "names"; .key; .value)
		else row("accounts"; ""; .key; .value) end),
	((.inputs // []) | to_entries[] | .key as $n | .value as $in |
		("file", "profile", "year") | . as $f | select($in | has($f)) | row("input"; $n; $f; $in[$f])),
	((.recharges // [])[] | . as $r | (.select // {}) as $s |
		([["select_stream", ($s.stream | if . == null then null else joinlist end)],
		  ["select_category", ($s.category | if . == null then null else joinlist end)],
		  ["select_provider", ($s.provider | if . == null then null else joinlist end)],
		  ["select_host", ($s.host | if . == null then null else joinlist end)],
		  ["issuer", $r.issuer], ["recipient", $r.recipient],
		  ["basis", ($r.basis // (if $s.stream == null then null else $uoms[$s.stream | aslist | .[0]] end))],
		  ["price", $r.price], ["after_months", $r.after_months],
		  ["amounts", ($r.amounts | if . == null then null else joinmap end)],
		  ["title", ($r.title // $r.id)]][] |
		 select(.[1] != null) | row("recharge"; $r.id; .[0]; .[1])));

# --- Main --------------------------------------------------------------------------

streamtable as $uoms |
. as $m |
(first(
	topchecks,
	linechecks($m; $uoms),
	cyclechecks,
	(if $mode == "meta" or $mode == "all" then invoicingchecks, accountchecks, inputchecks, rechargechecks($uoms) else empty end)
 ) // null) as $e |
if $e != null then prefix + $e + "\n" | halt_error(2)
elif $mode == "rules" then rules($uoms)
elif $mode == "meta" then meta($uoms)
# both in one run (lib/model.c): a program needs both, and jq's start and
# checks are most of its time; a line of one U+001D between them
elif $mode == "all" then meta($uoms), "\u001d", rules($uoms)
else prefix + "mode: not rules, meta or all (\($mode))\n" | halt_error(2)
end
