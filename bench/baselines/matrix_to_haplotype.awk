# matrix_to_haplotype.awk -- awk baseline for `hapmat convert` (default
# haplotype output, docs/FORMAT.md sections 1-3). Run with mawk in the C locale:
#
#   LC_ALL=C mawk -f bench/baselines/matrix_to_haplotype.awk matrix.txt > out.txt
#
# Input: a genome matrix whose first non-"##" line is a header
# `CHROM POS REF <names...>` (or `#CHROM ...`), then rows `CHROM POS REF H1..Hn`.
# Fields are split on blanks (awk's default FS). Samples are auto-paired:
# `<stem>a` + `<stem>b` (non-empty stem), ordered by the a column's name in
# byte order. No input validation.

BEGIN { hdr = 0 }

{
    if (index($0, "\r")) sub(/\r$/, "")      # CR LF line ends
    if ($0 ~ /^[ \t]*$/) next                 # blank line
}

!hdr {
    if (substr($0, 1, 2) == "##") next        # metadata before the header
    hdr = 1
    for (i = 4; i <= NF; i++) if (!($i in col)) col[$i] = i
    ns = 0
    for (i = 4; i <= NF; i++) {
        nm = $i; L = length(nm)
        if (L < 2 || substr(nm, L) != "a" || col[nm] != i) continue
        bn = substr(nm, 1, L - 1) "b"
        if (!(bn in col)) continue
        # insertion sort by the a column's name (byte order under LC_ALL=C)
        j = ns++
        while (j > 0 && aname[j - 1] > nm) {
            aname[j] = aname[j - 1]; ia[j] = ia[j - 1]; ib[j] = ib[j - 1]; j--
        }
        aname[j] = nm; ia[j] = i; ib[j] = col[bn]
    }
    if (ns == 0) {
        print "matrix_to_haplotype.awk: no columns named <stem>a and <stem>b" > "/dev/stderr"
        exit 2
    }
    out = "contig pos ref alt"
    for (s = 0; s < ns; s++) {
        lab = $ia[s] $ib[s]
        out = out " " lab "_PI " lab "_PG_al"
    }
    print out
    nh = NF - 3                               # number of haplotype columns
    next
}

{
    # Fast skip, before awk splits the row into fields: every haplotype is
    # REF or N  <=>  the haplotype text with each N replaced by REF equals
    # "REF REF ... REF".  Only tried on single-space rows.
    if (match($0, /^[^ ]+ [^ ]+ /)) {
        h = substr($0, RLENGTH + 1)
        k = index(h, " ")
        ref = substr(h, 1, k - 1)
        h = substr(h, k + 1)
        if (!(ref in allref)) addref(ref)
        if (h == allref[ref]) next
        gsub(/N/, esc[ref], h)
        if (h == allref[ref]) next
    }
    ref = $3
    if (!(ref in allref)) addref(ref)
    re = esc[ref]

    # alts: distinct alleles other than N and REF, first-appearance order.
    # pg[allele] = the allele with every N and - replaced by REF, computed
    # once per distinct allele of the row.
    alts = ""
    for (i = 4; i <= NF; i++) {
        a = $i
        if (a == ref || a == "N" || (a in pg)) continue
        t = a; gsub(/[N-]/, re, t); pg[a] = t
        alts = (alts == "") ? a : alts "," a
    }
    if (alts == "") next          # e.g. a REF containing N, or tab-separated input
    t = ref; gsub(/[N-]/, re, t); pg[ref] = t
    pg["N"] = ref

    out = $1 " " $2 " " ref " " alts
    sep = " " $1 " "
    for (s = 0; s < ns; s++)
        out = out sep pg[$ia[s]] "|" pg[$ib[s]]
    delete pg
    print out
}

# allref[r] = "r r ... r" (one per haplotype column); esc[r] = r as a
# literal gsub() replacement (backslash and & escaped).
function addref(r,    t, i, e) {
    t = r; for (i = 2; i <= nh; i++) t = t " " r
    allref[r] = t
    e = r
    gsub(/\\/, "\\\\\\\\", e); gsub(/&/, "\\\\&", e)
    esc[r] = e
}
