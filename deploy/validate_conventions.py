#!/usr/bin/env python3
"""Checks FerBatch's deployment files against the project's conventions, offline.

Schema validators cannot know FerBatch's own rules (probe paths, configuration key names, the
KEDA queue, which Dockerfile must carry the model...). This script checks exactly those, on:
  - deploy/k8s/*.yaml and its kustomization.yaml
  - docker-compose.yml
  - ./Dockerfile (once per image, with each image's build arguments) and .dockerignore
Usage: deploy/validate_conventions.py [REPO_ROOT]   (exit status 1 on any failure)
Needs only python3 and PyYAML (Debian: python3-yaml).
"""
from __future__ import annotations

import fnmatch
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

SCORE_QUEUE = "score-image-batch"
LIVENESS_PATH = "/healthz"
READINESS_PATH = "/readyz"
HTTP_PORT = 8080
MODEL_SOURCE = "models/fer-cnn-int8.onnx"  # the default model (Model:Path); fer-cnn.onnx ships beside it
MODEL_TARGET = "/app/models/fer-cnn-int8.onnx"
# Azurite's documented development account key: the only storage key allowed in the repo.
AZURITE_DEV_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
DNS1123 = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")

# The images, all built from ./Dockerfile: (compose service or "cli", project, needs the model, runtime base prefix, GPU)
IMAGES = [
    ("ingest", "Fer.Ingest", True, "mcr.microsoft.com/dotnet/aspnet:10.0", False),
    ("worker", "Fer.Worker", True, "mcr.microsoft.com/dotnet/aspnet:10.0", False),
    ("worker-gpu", "Fer.Worker", True, "nvidia/cuda:13.", True),
    ("reports", "Fer.Reports", False, "mcr.microsoft.com/dotnet/aspnet:10.0", False),
    ("cli", "Fer.Cli", True, "mcr.microsoft.com/dotnet/aspnet:10.0", False),
]
# No compose service builds the CLI image (the migration Job and one-off commands use it): the arguments the
# Dockerfile's header documents for it.
CLI_BUILD = {"dockerfile": "Dockerfile", "target": "cli", "args": {"PROJECT": "Fer.Cli"}}


class Report:
    def __init__(self) -> None:
        self.failures = 0
        self.checks = 0

    def check(self, ok: bool, what: str) -> bool:
        self.checks += 1
        if not ok:
            self.failures += 1
            print(f"FAIL {what}")
        return ok


def load_allowed_env(root: Path) -> set[str]:
    lines = (root / "deploy/config-keys.txt").read_text().splitlines()
    return {l.strip() for l in lines if l.strip() and not l.lstrip().startswith("#")}


# ---------------------------------------------------------------- Kubernetes

def load_k8s(root: Path, r: Report) -> list[tuple[str, dict]]:
    k8s = root / "deploy/k8s"
    kust = yaml.safe_load((k8s / "kustomization.yaml").read_text())
    listed = list(kust.get("resources", []))
    on_disk = sorted(p.name for p in k8s.iterdir()
                     if p.suffix in (".yaml", ".yml") and p.name != "kustomization.yaml")
    for name in on_disk:
        r.check(name in listed, f"k8s: {name} is not listed in kustomization.yaml resources")
    for name in listed:
        r.check((k8s / name).is_file(), f"k8s: kustomization.yaml lists {name}, which does not exist")
    r.check(len(listed) == len(set(listed)), "k8s: kustomization.yaml lists a file twice")
    docs = []
    for name in listed:
        path = k8s / name
        if not path.is_file():
            continue
        for doc in yaml.safe_load_all(path.read_text()):
            if doc is None:
                continue
            docs.append((name, doc))
            meta = doc.get("metadata") or {}
            r.check(bool(doc.get("apiVersion")), f"k8s: {name}: a document has no apiVersion")
            r.check(bool(doc.get("kind")), f"k8s: {name}: a document has no kind")
            r.check(bool(meta.get("name")), f"k8s: {name}: a document has no metadata.name")
            if meta.get("name"):
                r.check(bool(DNS1123.match(meta["name"])) and len(meta["name"]) <= 63,
                        f"k8s: {name}: metadata.name {meta['name']!r} is not a DNS-1123 name")
    seen = set()
    for name, doc in docs:
        key = (doc.get("kind"), (doc.get("metadata") or {}).get("name"))
        r.check(key not in seen, f"k8s: {name}: duplicate {key[0]}/{key[1]}")
        seen.add(key)
    images = {i.get("name") for i in kust.get("images", [])}
    for name, doc in docs:
        for c in pod_containers(doc):
            img = c.get("image", "")
            if img.startswith("ferbatch/"):
                r.check(img.split(":")[0] in images,
                        f"k8s: {name}: image {img} has no entry in kustomization.yaml images")
    return docs


def pod_spec(doc: dict) -> dict | None:
    if doc.get("kind") in ("Deployment", "Job", "StatefulSet", "DaemonSet"):
        return ((doc.get("spec") or {}).get("template") or {}).get("spec") or {}
    return None


def pod_containers(doc: dict) -> list[dict]:
    spec = pod_spec(doc)
    if spec is None:
        return []
    return list(spec.get("containers") or []) + list(spec.get("initContainers") or [])


def by_kind(docs, kind):
    return {d["metadata"]["name"]: (f, d) for f, d in docs if d.get("kind") == kind and d.get("metadata", {}).get("name")}


def labels_match(selector: dict, labels: dict) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def check_probe(r: Report, where: str, c: dict, probe: str, path: str, required: bool) -> None:
    p = c.get(probe)
    if p is None:
        r.check(not required, f"{where}: container {c.get('name')} has no {probe}")
        return
    get = p.get("httpGet") or {}
    r.check(get.get("path") == path, f"{where}: {probe} of {c.get('name')} must be httpGet {path}, is {get.get('path')!r}")
    ports = c.get("ports") or []
    port = get.get("port")
    r.check(any(port in (pt.get("name"), pt.get("containerPort")) for pt in ports),
            f"{where}: {probe} of {c.get('name')} targets port {port!r}, which the container does not declare")


def check_k8s(root: Path, docs, allowed_env: set[str], r: Report) -> None:
    deployments = by_kind(docs, "Deployment")
    configmaps = by_kind(docs, "ConfigMap")
    secrets = by_kind(docs, "Secret")

    def data_keys(doc):
        return set((doc.get("data") or {}).keys()) | set((doc.get("stringData") or {}).keys())

    for name in ("fer-ingest", "fer-reports", "fer-worker", "fer-worker-gpu"):
        r.check(name in deployments, f"k8s: Deployment {name} is missing")

    for f, doc in docs:
        spec = pod_spec(doc)
        if spec is None:
            continue
        where = f"k8s: {f} {doc['kind']}/{doc['metadata']['name']}"
        is_deployment = doc["kind"] == "Deployment"
        sec = spec.get("securityContext") or {}
        for c in pod_containers(doc):
            csec = c.get("securityContext") or {}
            r.check(sec.get("runAsNonRoot") is True or csec.get("runAsNonRoot") is True,
                    f"{where}: container {c.get('name')} may run as root (set runAsNonRoot)")
            res = c.get("resources") or {}
            for bound in ("requests", "limits"):
                for what in ("cpu", "memory"):
                    r.check(what in (res.get(bound) or {}), f"{where}: container {c.get('name')} has no {bound}.{what}")
            for e in c.get("env") or []:
                r.check(e.get("name") in allowed_env,
                        f"{where}: env {e.get('name')!r} is not a documented configuration key (deploy/config-keys.txt)")
            for src in c.get("envFrom") or []:
                if "configMapRef" in src:
                    ref = src["configMapRef"].get("name")
                    if r.check(ref in configmaps, f"{where}: envFrom ConfigMap {ref!r} is not defined"):
                        for k in data_keys(configmaps[ref][1]):
                            r.check(k in allowed_env, f"k8s: ConfigMap {ref} key {k!r} is not a documented configuration key")
                if "secretRef" in src:
                    ref = src["secretRef"].get("name")
                    if r.check(ref in secrets, f"{where}: envFrom Secret {ref!r} is not defined"):
                        for k in data_keys(secrets[ref][1]):
                            r.check(k in allowed_env, f"k8s: Secret {ref} key {k!r} is not a documented configuration key")
            if is_deployment:
                ports = c.get("ports") or []
                r.check(any(p.get("containerPort") == HTTP_PORT and p.get("name") == "http" for p in ports),
                        f"{where}: container {c.get('name')} must declare port {HTTP_PORT} named http")
                check_probe(r, where, c, "livenessProbe", LIVENESS_PATH, True)
                check_probe(r, where, c, "readinessProbe", READINESS_PATH, True)
                check_probe(r, where, c, "startupProbe", LIVENESS_PATH, False)
                r.check(any(e.get("name") == "OTEL_SERVICE_NAME" for e in c.get("env") or []),
                        f"{where}: container {c.get('name')} does not set OTEL_SERVICE_NAME")
        if is_deployment:
            sel = ((doc["spec"].get("selector") or {}).get("matchLabels")) or {}
            tpl_labels = ((doc["spec"]["template"].get("metadata") or {}).get("labels")) or {}
            r.check(labels_match(sel, tpl_labels), f"{where}: selector does not match the pod template labels")
            gpu_limits = [((c.get("resources") or {}).get("limits") or {}).get("nvidia.com/gpu") for c in pod_containers(doc)]
            if doc["metadata"]["name"].endswith("-gpu") or any(g is not None for g in gpu_limits):
                r.check(any(str(g) == "1" for g in gpu_limits), f"{where}: GPU worker must limit nvidia.com/gpu: 1")
                r.check(bool(spec.get("nodeSelector")) or bool(spec.get("tolerations")),
                        f"{where}: GPU worker needs a nodeSelector or tolerations for GPU nodes")

    # Services and PDBs must select pods that exist; every worker flavour needs a PDB.
    pods = [(n, ((d["spec"]["template"].get("metadata") or {}).get("labels")) or {}, d) for n, (_, d) in deployments.items()]
    for name, (f, svc) in by_kind(docs, "Service").items():
        sel = (svc.get("spec") or {}).get("selector") or {}
        matched = [(n, d) for n, labels, d in pods if labels_match(sel, labels)]
        if r.check(bool(matched), f"k8s: {f} Service/{name} selects no Deployment's pods"):
            for p in (svc["spec"].get("ports") or []):
                tp = p.get("targetPort")
                for n, d in matched:
                    names = {pt.get("name") for c in pod_containers(d) for pt in c.get("ports") or []}
                    nums = {pt.get("containerPort") for c in pod_containers(d) for pt in c.get("ports") or []}
                    r.check(tp in names or tp in nums, f"k8s: Service/{name} targetPort {tp!r} is not a port of {n}")
    pdbs = by_kind(docs, "PodDisruptionBudget")
    for name, (f, pdb) in pdbs.items():
        sel = ((pdb.get("spec") or {}).get("selector") or {}).get("matchLabels") or {}
        r.check(any(labels_match(sel, labels) for _, labels, _ in pods), f"k8s: {f} PodDisruptionBudget/{name} selects no pods")
    for n, labels, _ in pods:
        if labels.get("app.kubernetes.io/component") == "worker":
            r.check(any(labels_match(((p.get("spec") or {}).get("selector") or {}).get("matchLabels") or {}, labels)
                        for _, p in pdbs.values()), f"k8s: worker Deployment {n} has no PodDisruptionBudget")

    # KEDA: the CPU worker scales on the score-image-batch queue, authenticated from the Secret.
    auths = by_kind(docs, "TriggerAuthentication")
    scaled = by_kind(docs, "ScaledObject")
    r.check(any(so["spec"].get("scaleTargetRef", {}).get("name") == "fer-worker" for _, so in scaled.values()),
            "k8s: no ScaledObject targets Deployment fer-worker")
    for name, (f, so) in scaled.items():
        spec = so.get("spec") or {}
        target = (spec.get("scaleTargetRef") or {}).get("name")
        r.check(target in deployments, f"k8s: {f} ScaledObject/{name} targets unknown Deployment {target!r}")
        target_doc = deployments.get(target, (None, {}))[1]
        r.check("replicas" not in (target_doc.get("spec") or {}),
                f"k8s: Deployment {target} sets replicas although ScaledObject/{name} owns them")
        triggers = spec.get("triggers") or []
        rabbit = [t for t in triggers if t.get("type") == "rabbitmq"]
        if r.check(bool(rabbit), f"k8s: ScaledObject/{name} has no rabbitmq trigger"):
            for t in rabbit:
                md = t.get("metadata") or {}
                r.check(md.get("queueName") == SCORE_QUEUE, f"k8s: ScaledObject/{name} queueName must be {SCORE_QUEUE!r}, is {md.get('queueName')!r}")
                r.check("host" not in md and "hostFromEnv" not in md,
                        f"k8s: ScaledObject/{name} must take the broker host from a TriggerAuthentication, not inline")
                ref = (t.get("authenticationRef") or {}).get("name")
                if r.check(ref in auths, f"k8s: ScaledObject/{name} authenticationRef {ref!r} is not defined"):
                    targets = auths[ref][1]["spec"].get("secretTargetRef") or []
                    r.check(any(s.get("parameter") == "host" for s in targets),
                            f"k8s: TriggerAuthentication/{ref} does not provide the rabbitmq 'host' parameter")
                    for s in targets:
                        sname, key = s.get("name"), s.get("key")
                        r.check(sname in secrets and key in data_keys(secrets[sname][1]),
                                f"k8s: TriggerAuthentication/{ref} reads {sname}/{key}, which no Secret defines")


# ---------------------------------------------------------------- docker compose

def check_compose(root: Path, allowed_env: set[str], r: Report) -> None:
    compose = yaml.safe_load((root / "docker-compose.yml").read_text())
    services = compose.get("services") or {}
    for name in ("rabbitmq", "postgres", "azurite", "otel-collector", "jaeger", "prometheus",
                 "ingest", "worker", "worker-gpu", "reports"):
        r.check(name in services, f"compose: service {name} is missing")
    expect_image = {"rabbitmq": "rabbitmq:3-management", "postgres": "postgres:16",
                    "azurite": "mcr.microsoft.com/azure-storage/azurite",
                    "otel-collector": "otel/opentelemetry-collector-contrib",
                    "jaeger": "jaegertracing/all-in-one", "prometheus": "prom/prometheus"}
    for name, prefix in expect_image.items():
        img = (services.get(name) or {}).get("image", "")
        r.check(img.startswith(prefix), f"compose: {name} image should be {prefix}..., is {img!r}")
    pg_env = (services.get("postgres") or {}).get("environment") or {}
    r.check(all(pg_env.get(k) == "fer" for k in ("POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB")),
            "compose: postgres must use user/password/db fer")
    rabbit_ports = (services.get("rabbitmq") or {}).get("ports") or []
    for p in ("5672", "15672"):
        r.check(any(str(x).endswith(":" + p) for x in rabbit_ports), f"compose: rabbitmq does not publish {p}")
    collector_vols = (services.get("otel-collector") or {}).get("volumes") or []
    r.check(any(str(v).startswith("./deploy/otel-collector.yaml:") for v in collector_vols),
            "compose: otel-collector must mount ./deploy/otel-collector.yaml")

    for name, svc in services.items():
        build = svc.get("build")
        if not build:
            continue
        where = f"compose: {name}"
        dockerfile = build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile"
        context = build.get("context", ".") if isinstance(build, dict) else build
        r.check(context == ".", f"{where}: build context must be the repo root")
        r.check((root / dockerfile).is_file(), f"{where}: dockerfile {dockerfile} does not exist")
        env = svc.get("environment") or {}
        names = env.keys() if isinstance(env, dict) else [e.split("=", 1)[0] for e in env]
        for e in names:
            r.check(e in allowed_env, f"{where}: env {e!r} is not a documented configuration key (deploy/config-keys.txt)")
        for required in ("ConnectionStrings__Postgres", "ConnectionStrings__RabbitMq", "ConnectionStrings__Blob",
                         "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SERVICE_NAME"):
            r.check(required in names, f"{where}: env {required} is not set")
        hc = svc.get("healthcheck") or {}
        r.check(bool(hc.get("test")), f"{where}: no healthcheck")
        r.check(any(READINESS_PATH in str(x) for x in (hc.get("test") or [])), f"{where}: healthcheck should ask {READINESS_PATH}")
        deps = svc.get("depends_on")
        r.check(isinstance(deps, dict) and all(isinstance(v, dict) and "condition" in v for v in deps.values()),
                f"{where}: depends_on must give a condition for every dependency")
        if isinstance(deps, dict):
            for infra in ("rabbitmq", "postgres", "azurite"):
                r.check((deps.get(infra) or {}).get("condition") == "service_healthy",
                        f"{where}: must wait for {infra} to be service_healthy")
        if name.startswith("worker"):
            r.check("container_name" not in svc, f"{where}: container_name prevents --scale")
            r.check(not svc.get("ports"), f"{where}: a fixed host port prevents --scale")
    gpu = services.get("worker-gpu") or {}
    r.check("gpu" in (gpu.get("profiles") or []), "compose: worker-gpu must be in the gpu profile")
    devices = (((gpu.get("deploy") or {}).get("resources") or {}).get("reservations") or {}).get("devices") or []
    r.check(any(d.get("driver") == "nvidia" and "gpu" in (d.get("capabilities") or []) for d in devices),
            "compose: worker-gpu must reserve an nvidia gpu device")
    r.check(str(((gpu.get("build") or {}).get("args") or {}).get("FER_GPU")).lower() == "true",
            "compose: worker-gpu must build with FER_GPU=true")
    r.check(gpu.get("platform") == "linux/amd64", "compose: worker-gpu must build for linux/amd64 (the CUDA provider's only platform)")


# ---------------------------------------------------------------- Dockerfile

def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    out, buf = [], ""
    for line in text.splitlines():
        s = line.strip()
        if not buf and (not s or s.startswith("#")):
            continue
        if buf and s.startswith("#"):
            continue
        if s.endswith("\\"):
            buf += s[:-1] + " "
            continue
        buf += s
        word, _, rest = buf.partition(" ")
        out.append((word.upper(), rest.strip()))
        buf = ""
    return out


def project_closure(root: Path, csproj: str) -> set[str]:
    seen: set[str] = set()
    todo = [csproj]
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        tree = ET.parse(root / p)
        for ref in tree.iter("ProjectReference"):
            inc = ref.get("Include", "").replace("\\", "/")
            todo.append(str((Path(p).parent / inc).resolve().relative_to(root.resolve())))
    return seen


def assembly_name(root: Path, csproj: str) -> str:
    for el in ET.parse(root / csproj).iter("AssemblyName"):
        if el.text:
            return el.text.strip()
    return Path(csproj).stem


def dockerignore_excludes(patterns: list[str], path: str) -> bool:
    """Docker's rule: the last pattern that matches the path (or a parent folder) decides."""
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    excluded = False
    for raw in patterns:
        neg = raw.startswith("!")
        pat = raw[1:] if neg else raw
        pat = pat.strip("/")
        if pat.startswith("**/"):
            hit = any(fnmatch.fnmatch(c, pat[3:]) or fnmatch.fnmatch(c.split("/")[-1], pat[3:]) for c in candidates)
        else:
            hit = any(fnmatch.fnmatch(c, pat) and c.count("/") == pat.count("/") for c in candidates)
        if hit:
            excluded = not neg
    return excluded


class Stage:
    def __init__(self, base: str, name: str | None) -> None:
        self.base, self.name = base, name
        self.args: dict[str, str | None] = {}  # ARG lines of this stage, in order (None: no default)
        self.ins: list[tuple[str, str]] = []


def dockerfile_stages(ins: list[tuple[str, str]]) -> tuple[dict[str, str], list[Stage]]:
    """Global ARG defaults and the stages, each with the instructions after its FROM."""
    global_args: dict[str, str] = {}
    stages: list[Stage] = []
    for word, rest in ins:
        if word == "FROM":
            words = [w for w in rest.split() if not w.startswith("--")]
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            stages.append(Stage(words[0] if words else "", name))
        elif not stages:
            if word == "ARG" and "=" in rest:
                k, v = rest.split("=", 1)
                global_args[k] = v
        else:
            stages[-1].ins.append((word, rest))
            if word == "ARG":
                k, _, v = rest.partition("=")
                stages[-1].args[k] = v if "=" in rest else None
    return global_args, stages


def substitute(text: str, values: dict[str, str]) -> str:
    return re.sub(r"\$\{?(\w+)\}?", lambda m: values.get(m.group(1), m.group(0)), text)


def stage_values(stage: Stage, global_args: dict[str, str], build_args: dict[str, str]) -> dict[str, str]:
    """What $NAME means inside a stage: its ARGs (build argument, else its default, else the global default), its ENVs."""
    values: dict[str, str] = {}
    for k, default in stage.args.items():
        if k in build_args:
            values[k] = build_args[k]
        elif default is not None:
            values[k] = substitute(default, values)
        elif k in global_args:
            values[k] = global_args[k]
    if "TARGETARCH" not in build_args:
        values.setdefault("TARGETARCH", "amd64")
    return values


def image_chain(stages: list[Stage], global_args: dict[str, str], build_args: dict[str, str], target: str | None) -> list[Stage]:
    """The stages an image is made of, base first: the target stage and the stages its FROM names, recursively."""
    by_name = {s.name: s for s in stages if s.name}
    current = by_name.get(target) if target else stages[-1]
    chain: list[Stage] = []
    while current is not None and current not in chain:
        chain.insert(0, current)
        base = substitute(current.base, {**global_args, **build_args})
        current = by_name.get(base)
    return chain


def expected_images(root: Path) -> list[dict]:
    """Each image: the compose service that builds it (or the fixed arguments the CLI image is built with) and what it must hold."""
    compose = yaml.safe_load((root / "docker-compose.yml").read_text())
    services = compose.get("services") or {}
    images = []
    for service, project, needs_model, runtime_base, gpu in IMAGES:
        if service == "cli":
            build = CLI_BUILD
        else:
            build = (services.get(service) or {}).get("build") or {}
            if isinstance(build, str):
                build = {"context": build}
        images.append({"name": service, "csproj": f"src/{project}/{project}.csproj", "needs_model": needs_model,
                       "runtime_base": runtime_base, "gpu": gpu, "host": service != "cli",
                       "dockerfile": build.get("dockerfile", "Dockerfile"), "target": build.get("target"),
                       "args": {k: str(v) for k, v in (build.get("args") or {}).items()}})
    return images


def check_dockerfiles(root: Path, r: Report) -> None:
    ignore_file = root / ".dockerignore"
    patterns = []
    if r.check(ignore_file.is_file(), "docker: .dockerignore is missing"):
        patterns = [l.strip() for l in ignore_file.read_text().splitlines() if l.strip() and not l.startswith("#")]
        for p in ("training/data.csv", ".git/HEAD", "tests/Fer.Tests/Fer.Tests.csproj", "src/Fer.Core/bin/x.dll", "src/Fer.Core/obj/x.json"):
            r.check(dockerignore_excludes(patterns, p), f"docker: .dockerignore lets {p} into the build context")
    stray = sorted(str(p.relative_to(root)) for p in (root / "src").glob("*/Dockerfile*"))
    r.check(not stray, f"docker: one parameterised ./Dockerfile builds every image, yet {stray} exist")
    for image in expected_images(root):
        dockerfile, csproj, args = image["dockerfile"], image["csproj"], image["args"]
        where = f"docker: {image['name']} image ({dockerfile} {' '.join(f'{k}={v}' for k, v in sorted(args.items()))})"
        r.check(args.get("PROJECT") == Path(csproj).stem, f"{where}: must be built with PROJECT={Path(csproj).stem}")
        path = root / dockerfile
        if not r.check(path.is_file(), f"{where}: {dockerfile} is missing"):
            continue
        ins = dockerfile_instructions(path.read_text())
        global_args, stages = dockerfile_stages(ins)
        r.check(len(stages) >= 2, f"{where}: must be multi-stage")
        chain = image_chain(stages, global_args, args, image["target"])
        build = next((s for s in stages if "dotnet/sdk:10.0" in s.base and s.name), None)
        if not r.check(bool(chain) and build is not None, f"{where}: no runtime stage or no dotnet/sdk:10.0 build stage"):
            continue
        runtime_image = substitute(chain[0].base, {**global_args, **args})
        r.check(runtime_image.startswith(image["runtime_base"]),
                f"{where}: runtime stage should be based on {image['runtime_base']}..., is {runtime_image}")
        if image["gpu"]:
            r.check("cudnn" in runtime_image, f"{where}: CUDA base must include cuDNN")

        # Restore caching: props and the project closure are copied, and restored, before the sources.
        values = stage_values(build, global_args, args)
        build_ins = [(w, substitute(rest, values)) for w, rest in build.ins]
        src_copy = next((i for i, (w, rest) in enumerate(build_ins) if w == "COPY" and rest.split()[0] in ("src/", "src", ".")), None)
        restore = next((i for i, (w, rest) in enumerate(build_ins) if w == "RUN" and "dotnet restore" in rest), None)
        if r.check(src_copy is not None and restore is not None and restore < src_copy,
                   f"{where}: `dotnet restore` must run before the sources are copied (layer caching)"):
            copied = set()
            for w, rest in build_ins[:restore]:
                if w == "COPY" and not rest.startswith("--from"):
                    for source in (x for x in rest.split()[:-1] if not x.startswith("--")):
                        # A glob copies what it matches (with --parents, each under its own folder).
                        copied.update(str(p.relative_to(root)) for p in root.glob(source)) if "*" in source else copied.add(source)
            for props in ("Directory.Build.props", "Directory.Packages.props"):
                r.check(props in copied, f"{where}: {props} is not copied before restore")
            for proj in sorted(project_closure(root, csproj)):
                r.check(proj in copied, f"{where}: {proj} (referenced by {csproj}) is not copied before restore")
        runs = " ".join(rest for w, rest in build_ins if w == "RUN")
        r.check(f"dotnet publish {csproj}" in runs, f"{where}: does not publish {csproj}")
        for step in ("dotnet restore", "dotnet publish"):
            line = next((rest for w, rest in build_ins if w == "RUN" and step in rest), "")
            if image["gpu"]:
                r.check("-p:FerGpu=true" in line, f"{where}: `{step}` must pass -p:FerGpu=true")
            else:
                r.check("-p:FerGpu=true" not in line, f"{where}: `{step}` passes -p:FerGpu=true to a CPU image")

        runtime = [(w, rest) for s in chain for w, rest in s.ins]
        users = [rest for w, rest in runtime if w == "USER"]
        r.check(bool(users) and users[-1] not in ("root", "0", "0:0"), f"{where}: runtime stage must switch to a non-root USER")
        copied_in = {}  # image path -> source path, through COPY --from=<stage> of a stage's files
        by_name = {s.name: s for s in stages if s.name}
        for w, rest in runtime:
            if w != "COPY":
                continue
            words = rest.split()
            sources, target_dir = [x for x in words[:-1] if not x.startswith("--")], words[-1].rstrip("/")
            source_stage = next((x.split("=", 1)[1] for x in words if x.startswith("--from=")), None)
            if source_stage is None:
                for src in sources:
                    copied_in[target_dir if len(sources) == 1 and not words[-1].endswith("/") else f"{target_dir}/{Path(src).name}"] = src
            elif source_stage in by_name:
                for sw, srest in by_name[source_stage].ins:
                    swords = srest.split()
                    if sw == "COPY" and not srest.startswith("--from"):
                        for src in (x for x in swords[:-1] if not x.startswith("--")):
                            inner = f"{swords[-1].rstrip('/')}/{Path(src).name}"
                            for prefix in sources:
                                if inner.startswith(prefix.rstrip("/") + "/"):
                                    copied_in[target_dir + inner[len(prefix.rstrip("/")):]] = src
        models = sorted(p for p in copied_in if p.startswith("/app/models/"))
        gtk = any(w == "RUN" and "libgtk" in rest for w, rest in runtime)
        if image["needs_model"]:
            r.check(copied_in.get(MODEL_TARGET) == MODEL_SOURCE, f"{where}: must copy {MODEL_SOURCE} to {MODEL_TARGET}")
            r.check(not dockerignore_excludes(patterns, MODEL_SOURCE), f"{where}: .dockerignore excludes {MODEL_SOURCE}")
            r.check(gtk, f"{where}: must install GTK 3 for OpenCV's native library (face detection)")
        else:
            r.check(not models, f"{where}: carries models it does not use: {models}")
            r.check(not gtk, f"{where}: installs GTK, which only the classifying images need")
        envs = {}
        for stage in chain:
            for w, rest in stage.ins:
                if w == "ENV":
                    for k, v in re.findall(r"(\w+)=(\S+)", rest):
                        envs[k] = substitute(v, {**envs, **stage_values(stage, global_args, args)})
        entry = substitute(next((rest for w, rest in reversed(runtime) if w == "ENTRYPOINT"), ""), envs)
        dll = assembly_name(root, csproj) + ".dll"
        r.check(dll in entry, f"{where}: ENTRYPOINT should run {dll}, runs {entry!r}")
        exposes = any(w == "EXPOSE" and rest.split()[0] == str(HTTP_PORT) for w, rest in runtime)
        health = any(w == "HEALTHCHECK" and "/healthz" in rest for w, rest in runtime)
        if image["host"]:
            r.check(exposes, f"{where}: must EXPOSE {HTTP_PORT}")
            r.check(health, f"{where}: must have a HEALTHCHECK on /healthz")
        else:
            r.check(not exposes and not health, f"{where}: the CLI serves nothing, so it neither EXPOSEs nor HEALTHCHECKs")
        for w, rest in ins:
            if w == "COPY" and not rest.startswith("--from"):
                for src in rest.split()[:-1]:
                    if not src.startswith("--"):
                        matched = [str(p.relative_to(root)) for p in root.glob(src)] if "*" in src else [src.rstrip("/")]
                        for m in matched:
                            r.check(not dockerignore_excludes(patterns, m), f"{where}: COPY {m} is excluded by .dockerignore")


# ---------------------------------------------------------------- secrets

def check_storage_keys(root: Path, r: Report) -> None:
    files = [root / "docker-compose.yml", *sorted((root / "deploy").rglob("*.yaml")), *sorted((root / "deploy").rglob("*.yml"))]
    for f in files:
        if "node_modules" in f.parts:
            continue
        for key in re.findall(r"AccountKey=([^;\s\"']+)", f.read_text()):
            r.check(key == AZURITE_DEV_KEY, f"secrets: {f.relative_to(root)} holds a storage key other than Azurite's documented dev key")


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
    r = Report()
    allowed = load_allowed_env(root)
    docs = load_k8s(root, r)
    check_k8s(root, docs, allowed, r)
    check_compose(root, allowed, r)
    check_dockerfiles(root, r)
    check_storage_keys(root, r)
    print(f"{r.checks - r.failures} passed, {r.failures} failed")
    return 1 if r.failures else 0


if __name__ == "__main__":
    sys.exit(main())
