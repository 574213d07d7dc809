"""Every function name a µTask template may call, known at parse time.

Go checks function existence while parsing (``function "x" not defined`` is a parse error), so the parser
needs the names only; the evaluator maps them to implementations. The set is what µTask registers:
Go's text/template builtins, Sprig v3.3.0's ``FuncMap()`` (from ``sprig-signatures.txt``), and µTask's own
functions, which *replace* Sprig's ``fromJson`` and ``mustFromJson`` (same names, so the set is unchanged).
"""

from __future__ import annotations

__all__ = ["BUILTIN_NAMES", "FUNCTION_NAMES", "SPRIG_NAMES", "UTASK_NAMES"]

# text/template's builtins(): always present, whatever FuncMap is installed. Sprig overrides "slice".
BUILTIN_NAMES: frozenset[str] = frozenset(
    (
        "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
        "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
    )
)  # fmt: skip

# sprig.FuncMap() of Sprig v3.3.0: the 210 names of sprig-signatures.txt (extracted from v3.2.3, with the
# snake_case aliases such as date_in_zone) plus sha512sum, the one function v3.3.0 added.
SPRIG_NAMES: frozenset[str] = frozenset(
    (
    "abbrev", "abbrevboth", "add", "add1", "add1f", "addf", "adler32sum", "ago", "all", "any", "append",
    "atoi", "b32dec", "b32enc", "b64dec", "b64enc", "base", "bcrypt", "biggest", "buildCustomCert",
    "camelcase", "cat", "ceil", "chunk", "clean", "coalesce", "compact", "concat", "contains", "date",
    "dateInZone", "dateModify", "date_in_zone", "date_modify", "decryptAES", "deepCopy", "deepEqual",
    "default", "derivePassword", "dict", "dig", "dir", "div", "divf", "duration", "durationRound",
    "empty", "encryptAES", "env", "expandenv", "ext", "fail", "first", "float64", "floor", "fromJson",
    "genCA", "genCAWithKey", "genPrivateKey", "genSelfSignedCert", "genSelfSignedCertWithKey",
    "genSignedCert", "genSignedCertWithKey", "get", "getHostByName", "has", "hasKey", "hasPrefix",
    "hasSuffix", "hello", "htmlDate", "htmlDateInZone", "htpasswd", "indent", "initial", "initials",
    "int", "int64", "isAbs", "join", "kebabcase", "keys", "kindIs", "kindOf", "last", "list", "lower",
    "max", "maxf", "merge", "mergeOverwrite", "min", "minf", "mod", "mul", "mulf", "mustAppend",
    "mustChunk", "mustCompact", "mustDateModify", "mustDeepCopy", "mustFirst", "mustFromJson", "mustHas",
    "mustInitial", "mustLast", "mustMerge", "mustMergeOverwrite", "mustPrepend", "mustPush",
    "mustRegexFind", "mustRegexFindAll", "mustRegexMatch", "mustRegexReplaceAll",
    "mustRegexReplaceAllLiteral", "mustRegexSplit", "mustRest", "mustReverse", "mustSlice", "mustToDate",
    "mustToJson", "mustToPrettyJson", "mustToRawJson", "mustUniq", "mustWithout", "must_date_modify",
    "nindent", "nospace", "now", "omit", "osBase", "osClean", "osDir", "osExt", "osIsAbs", "pick",
    "pluck", "plural", "prepend", "push", "quote", "randAlpha", "randAlphaNum", "randAscii", "randBytes",
    "randInt", "randNumeric", "regexFind", "regexFindAll", "regexMatch", "regexQuoteMeta",
    "regexReplaceAll", "regexReplaceAllLiteral", "regexSplit", "repeat", "replace", "rest", "reverse",
    "round", "semver", "semverCompare", "seq", "set", "sha1sum", "sha256sum", "shuffle", "slice",
    "snakecase", "sortAlpha", "split", "splitList", "splitn", "squote", "sub", "subf", "substr",
    "swapcase", "ternary", "title", "toDate", "toDecimal", "toJson", "toPrettyJson", "toRawJson",
    "toString", "toStrings", "trim", "trimAll", "trimPrefix", "trimSuffix", "trimall", "trunc", "tuple",
    "typeIs", "typeIsLike", "typeOf", "uniq", "unixEpoch", "unset", "until", "untilStep", "untitle",
    "upper", "urlJoin", "urlParse", "uuidv4", "values", "without", "wrap", "wrapWith",
        "sha512sum",
    )
)  # fmt: skip

# Added by µTask's engine/values (fromJson and mustFromJson override Sprig's implementations).
UTASK_NAMES: frozenset[str] = frozenset(
    ("field", "fieldFrom", "eval", "evalCache", "fromJson", "mustFromJson", "uuid", "b64RawEnc", "b64RawDec")
)

FUNCTION_NAMES: frozenset[str] = BUILTIN_NAMES | SPRIG_NAMES | UTASK_NAMES
