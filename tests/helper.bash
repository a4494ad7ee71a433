# tests/helper.bash: loaded by every .bats file (`load helper`).
# Binaries come from $ALF_BIN (bin/ for `make test`, bin-asan/ for
# `make asan`); each test works in its own temporary directory.
ROOT="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
: "${ALF_BIN:=$ROOT/bin}"
PATH="$ALF_BIN:$PATH"
FIX="$ROOT/fixtures"
MODELS="$ROOT/pipelines/models"
export LC_ALL=C.UTF-8 TZ=UTC

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

# cd into the test's own directory; call from setup()
common_setup() {
	W="$BATS_TEST_TMPDIR"
	cd "$W" || return 1
}

# a fresh HMAC key for pseudonyms, mode 0600, never committed
make_key() {
	local k="${1:-$W/test.key}"
	head -c 32 /dev/urandom > "$k"
	chmod 600 "$k"
	echo "$k"
}

# the value of column $2 in CSV file $1's row where column $3 is $4
# (simple CSV without quoted commas in the columns used)
csv_get() {
	awk -F, -v want="$2" -v key="$3" -v val="$4" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$col[key] == val { print $col[want] }' "$1"
}

# make run / close / nightly tests: a copy of Stockholm 2024's exports in
# $IN and a fresh key in ALF_KEY_FILE, exported for make and its programs
pipeline_setup() {
	common_setup
	export ALF_BIN ALF_KEY_FILE
	ALF_KEY_FILE=$(make_key)
	unset REPORT_FORMATS ALF_DATADIR
	IN="$W/in"
	cp -R "$FIX/stockholm-2024" "$IN"
}

# the project's make (which includes the pipeline fragments), quietly
alf_make() {
	make -s --no-print-directory -C "$ROOT" BUILD="$W/build" "$@"
}

# fails when any number of the list $1 (12 digits a line, # comments), in
# any of its written forms, is in one of the files that follow
refute_pnr_in() {
	local list=$1 n s form
	shift
	while read -r n; do
		s=${n:2}
		for form in "$n" "${n:0:8}-${n:8}" "${n:0:8}+${n:8}" "$s" \
		    "${s:0:6}-${s:6}" "${s:0:6}+${s:6}"; do
			if grep -F -l -- "$form" "$@"; then
				echo "leaked: $form"
				return 1
			fi
		done
	done < <(grep -v '^#' "$list")
}
