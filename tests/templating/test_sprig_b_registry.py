"""Sprig family B (math, encoding, crypto, dates, regex, semver, UUID, URLs, paths, env, network): every
function is registered with exactly its Go signature from sprig-signatures.txt, by our modules."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.templating.funcs import load_all
from engine.templating.funcs.encoding import SPRIG_IMPLEMENTATIONS
from engine.templating.funcs.registry import parse_signature

FAMILY_B = (
    'add(...interface {}) int64',
    'add1(interface {}) int64',
    'add1f(interface {}) float64',
    'addf(...interface {}) float64',
    'adler32sum(string) string',
    'ago(interface {}) string',
    'b32dec(string) string',
    'b32enc(string) string',
    'b64dec(string) string',
    'b64enc(string) string',
    'base(string) string',
    'bcrypt(string) string',
    'biggest(interface {}, ...interface {}) int64',
    'buildCustomCert(string, string) sprig.certificate,error',
    'ceil(interface {}) float64',
    'clean(string) string',
    'date(string, interface {}) string',
    'dateInZone(string, interface {}, string) string',
    'dateModify(string, time.Time) time.Time',
    'date_in_zone(string, interface {}, string) string',
    'date_modify(string, time.Time) time.Time',
    'decryptAES(string, string) string,error',
    'derivePassword(uint32, string, string, string, string) string',
    'dir(string) string',
    'div(interface {}, interface {}) int64',
    'divf(interface {}, ...interface {}) float64',
    'duration(interface {}) string',
    'durationRound(interface {}) string',
    'encryptAES(string, string) string,error',
    'env(string) string',
    'expandenv(string) string',
    'ext(string) string',
    'floor(interface {}) float64',
    'fromJson(string) interface {}',
    'genCA(string, int) sprig.certificate,error',
    'genCAWithKey(string, int, string) sprig.certificate,error',
    'genPrivateKey(string) string',
    'genSelfSignedCert(string, []interface {}, []interface {}, int) sprig.certificate,error',
    'genSelfSignedCertWithKey(string, []interface {}, []interface {}, int, string) sprig.certificate,error',
    'genSignedCert(string, []interface {}, []interface {}, int, sprig.certificate) sprig.certificate,error',
    'genSignedCertWithKey(string, []interface {}, []interface {}, int, sprig.certificate, string) '
    'sprig.certificate,error',
    'getHostByName(string) string',
    'htmlDate(interface {}) string',
    'htmlDateInZone(interface {}, string) string',
    'htpasswd(string, string) string',
    'isAbs(string) bool',
    'max(interface {}, ...interface {}) int64',
    'maxf(interface {}, ...interface {}) float64',
    'min(interface {}, ...interface {}) int64',
    'minf(interface {}, ...interface {}) float64',
    'mod(interface {}, interface {}) int64',
    'mul(interface {}, ...interface {}) int64',
    'mulf(interface {}, ...interface {}) float64',
    'mustDateModify(string, time.Time) time.Time,error',
    'mustFromJson(string) interface {},error',
    'mustRegexFind(string, string) string,error',
    'mustRegexFindAll(string, string, int) []string,error',
    'mustRegexMatch(string, string) bool,error',
    'mustRegexReplaceAll(string, string, string) string,error',
    'mustRegexReplaceAllLiteral(string, string, string) string,error',
    'mustRegexSplit(string, string, int) []string,error',
    'mustToDate(string, string) time.Time,error',
    'mustToJson(interface {}) string,error',
    'mustToPrettyJson(interface {}) string,error',
    'mustToRawJson(interface {}) string,error',
    'must_date_modify(string, time.Time) time.Time,error',
    'now() time.Time',
    'osBase(string) string',
    'osClean(string) string',
    'osDir(string) string',
    'osExt(string) string',
    'osIsAbs(string) bool',
    'randBytes(int) string,error',
    'randInt(int, int) int',
    'regexFind(string, string) string',
    'regexFindAll(string, string, int) []string',
    'regexMatch(string, string) bool',
    'regexQuoteMeta(string) string',
    'regexReplaceAll(string, string, string) string',
    'regexReplaceAllLiteral(string, string, string) string',
    'regexSplit(string, string, int) []string',
    'round(interface {}, int, ...float64) float64',
    'semver(string) *semver.Version,error',
    'semverCompare(string, string) bool,error',
    'seq(...int) string',
    'sha1sum(string) string',
    'sha256sum(string) string',
    'sha512sum(string) string',
    'sub(interface {}, interface {}) int64',
    'subf(interface {}, ...interface {}) float64',
    'toDate(string, string) time.Time',
    'toJson(interface {}) string',
    'toPrettyJson(interface {}) string',
    'toRawJson(interface {}) string',
    'unixEpoch(time.Time) string',
    'urlJoin(map[string]interface {}) string',
    'urlParse(string) map[string]interface {}',
    'uuidv4() string',
)
MODULES = {"math", "encoding", "crypto", "certs", "dates", "regex", "semver", "uuids", "urls", "paths", "env",
           "network"}
# µTask's own fromJson / mustFromJson replace Sprig's in the function map (ours stay importable).
REPLACED_BY_UTASK = {"fromJson", "mustFromJson"}
SPEC = Path(__file__).resolve().parents[3] / "shared/spec/sprig-signatures.txt"


@pytest.mark.parametrize("line", FAMILY_B)
def test_registered_with_go_signature(line: str) -> None:
    expected = parse_signature(line)
    functions = load_all()
    registered = functions[expected.name]
    if expected.name in REPLACED_BY_UTASK:
        assert registered.implementation.__module__.endswith(".utask")
        assert callable(SPRIG_IMPLEMENTATIONS[expected.name])
        return
    assert registered.signature == expected
    assert registered.implementation.__module__.rsplit(".", 1)[1] in MODULES


@pytest.mark.skipif(not SPEC.exists(), reason="the shared spec is not available")
def test_signatures_match_the_spec() -> None:
    spec = {line.strip() for line in SPEC.read_text(encoding="utf-8").splitlines() if line.strip()}
    missing = [line for line in FAMILY_B if line not in spec and not line.startswith("sha512sum")]
    assert missing == []
