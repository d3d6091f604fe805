#!/usr/bin/env bash
# Installs the Debian packages torikumi needs to build, test and run, if any are missing.
# Safe to run again: it asks apt only when something is absent.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler grpc-proto
  # the TLS tests make their CA and certificates at test time (tests/server/test_certificates.cc)
  openssl
  libabsl-dev libsqlite3-dev libutf8proc-dev libre2-dev libxlsxwriter-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libssl-dev sqlite3 unzip
  # cpp-httplib: the webhook dispatcher's HTTP client (services/server/webhook_delivery.cc) and
  # the test receivers of tests/server/webhook_test.cc
  libcpp-httplib-dev
  # MeCab and its IPA dictionary: the rules evaluator reads outcome texts into evidence
  # (plugins/rules/tokenizer.cc); the plugin links libmecab, the dictionary is read at run time.
  libmecab-dev mecab-ipadic-utf8
  # cpp-httplib: the server's HTTP/JSON gateway (--http_listen, services/server/http), its
  # /metrics endpoint (--metrics_listen, services/server/metrics_http.cc) and test clients
  libcpp-httplib-dev
  # the system-call filter of evaluator worker processes (services/evaluators/worker/sandbox.cc)
  libseccomp-dev
  # systemd-analyze, which deploy_systemd_verify runs on deploy/systemd (no systemd needs to run)
  systemd
  # libpqxx: the PostgreSQL store (services/store/postgres); postgresql-15: the throw-away
  # cluster the tests start (initdb/pg_ctl from /usr/lib/postgresql/15/bin, scripts/pg_test_cluster.sh)
  libpqxx-dev postgresql-15
  # the web view's browser test (tests/web): headless Chromium driven by playwright-core under
  # node (npm itself comes with scripts/install-buf.sh), and a Japanese font so that its
  # screenshots show the table's words rather than empty boxes
  chromium nodejs fonts-ipafont-gothic
  # the thread-safety check (clang -Wthread-safety) and the format check
  clang clang-format
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
