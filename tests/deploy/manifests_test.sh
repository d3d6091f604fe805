#!/usr/bin/env bash
# deploy/container and deploy/kubernetes hold what running torikumi safely needs: the image
# checks its health with `torikumi health`; the Deployment has native gRPC probes, fsGroup,
# a restrictive security context, resource requests and limits, and mounts the TLS Secret
# the server's flags name. Parsed with python3-yaml, not grepped, so a misplaced key fails.
#   manifests_test.sh DEPLOY_DIR
set -euo pipefail
deploy=$1
fail() { echo "FAIL: $*" >&2; exit 1; }

# The Dockerfile with its continued lines joined.
dockerfile=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$deploy/container/Dockerfile")
grep -Eq '^HEALTHCHECK .*CMD \["/opt/torikumi/bin/torikumi",.*"health"\]' <<<"$dockerfile" ||
  fail "the image has no HEALTHCHECK running torikumi health"
grep -Eq '^USER 10001' <<<"$dockerfile" || fail "the image does not run as uid 10001"

python3 - "$deploy/kubernetes/torikumi.yaml" <<'PY'
import sys, yaml

docs = {d["kind"]: d for d in yaml.safe_load_all(open(sys.argv[1])) if d}
def need(ok, what):
    if not ok:
        sys.exit("FAIL: kubernetes: " + what)

need("Secret" in docs, "no Secret for the TLS files and tokens")
pod = docs["Deployment"]["spec"]["template"]["spec"]
need(pod.get("automountServiceAccountToken") is False, "the service account token is mounted")
pod_sc = pod.get("securityContext", {})
need(pod_sc.get("fsGroup") == 10001, "fsGroup is not the image's group 10001")
need(pod_sc.get("runAsNonRoot") is True, "runAsNonRoot is not set")
need(pod_sc.get("seccompProfile", {}).get("type") == "RuntimeDefault", "no RuntimeDefault seccomp")
(container,) = pod["containers"]
sc = container.get("securityContext", {})
need(sc.get("allowPrivilegeEscalation") is False, "privilege escalation is allowed")
need(sc.get("readOnlyRootFilesystem") is True, "the root filesystem is writable")
need(sc.get("capabilities", {}).get("drop") == ["ALL"], "capabilities are not all dropped")
res = container.get("resources", {})
for kind in ("requests", "limits"):
    for what in ("cpu", "memory"):
        need(what in res.get(kind, {}), f"no {what} {kind}")
ports = {p["name"]: p["containerPort"] for p in container["ports"]}
for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
    need(container.get(probe, {}).get("grpc", {}).get("port") == ports.get("health"),
         f"{probe} is not a native gRPC probe of the health port")
secret_volumes = {v["name"] for v in pod["volumes"] if v.get("secret", {}).get("secretName")
                  == docs["Secret"]["metadata"]["name"]}
need(secret_volumes, "the Secret is not mounted")
mounts = {m["name"]: m for m in container["volumeMounts"]}
(tls,) = secret_volumes
need(mounts[tls].get("readOnly") is True, "the Secret is mounted writable")
args = " ".join(container.get("args", []))
for flag in ("--tls_cert=" + mounts[tls]["mountPath"], "--tls_key=" + mounts[tls]["mountPath"]):
    need(flag in args, f"the server is not started with {flag}…")
print("deploy/kubernetes: probes, security context, resources and TLS secret present")
PY
