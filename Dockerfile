# syntax=docker/dockerfile:1.7-labs
# One Dockerfile for every FerBatch image; build arguments pick the project and the runtime flavour.
# Build from the repo root (BuildKit, for COPY --parents and the stage chosen by ${FLAVOUR}):
#   docker build --build-arg PROJECT=Fer.Ingest                                 -t ferbatch/ingest .
#   docker build --build-arg PROJECT=Fer.Worker                                 -t ferbatch/worker .
#   docker build --build-arg PROJECT=Fer.Reports --build-arg FLAVOUR=plain      -t ferbatch/reports .
#   docker build --build-arg PROJECT=Fer.Cli --target cli                       -t ferbatch/cli .
#   docker build --build-arg PROJECT=Fer.Worker --build-arg FLAVOUR=gpu --build-arg FER_GPU=true \
#                --platform linux/amd64                                         -t ferbatch/worker-gpu .
# docker-compose.yml passes the same arguments per service.
#
# FLAVOUR selects the runtime stage the image grows from:
#   inference  the .NET runtime, GTK 3 for OpenCV and the models (ingest, worker, CLI: they classify)
#   plain      the .NET runtime only (reports: Fer.Reports does not reference Fer.Inference)
#   gpu        CUDA 13 + cuDNN 9 with the .NET runtime copied in, and the models (worker, with FER_GPU=true)
# GPU image, not verified here: no Docker engine and no GPU (see README, "What is verified").

ARG FLAVOUR=inference
ARG CUDA_IMAGE=nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04
# .NET 10 images are Ubuntu 24.04 (noble), the same release as the CUDA image, so the runtime
# copied from it runs against the CUDA image's glibc.
ARG DOTNET_RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0-noble

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
ARG PROJECT
ARG CONFIGURATION=Release
# true publishes the GPU flavour: Fer.Inference then references Microsoft.ML.OnnxRuntime.Gpu instead of the CPU
# package. It changes the package graph, so restore and publish must both see it.
ARG FER_GPU=false
WORKDIR /src
# The CUDA provider ships for linux-x64 only.
RUN if [ -z "$PROJECT" ]; then echo "pass --build-arg PROJECT=Fer.Ingest|Fer.Worker|Fer.Reports|Fer.Cli" >&2; exit 1; fi \
 && if [ "$FER_GPU" = true ] && [ "$TARGETARCH" != amd64 ]; then echo "FER_GPU=true needs --platform linux/amd64" >&2; exit 1; fi

# Restore layer: only the props and the project files, so a source edit does not invalidate the
# package cache layer. Every project file is copied (with its folder, hence --parents), not only
# the closure of PROJECT: one line serves every image, at the price of a restore when an unrelated
# project file changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY --parents src/*/*.csproj ./
RUN dotnet restore src/$PROJECT/$PROJECT.csproj -a $TARGETARCH -p:FerGpu=$FER_GPU

COPY src/ src/
RUN dotnet publish src/$PROJECT/$PROJECT.csproj -c $CONFIGURATION -a $TARGETARCH -p:FerGpu=$FER_GPU \
      --no-restore --self-contained false -o /app

# The models every classifying image carries; ModelLocator finds models/ relative to /app.
FROM scratch AS models
COPY models/fer-cnn-int8.onnx models/fer-cnn.onnx /models/
# Photos are searched for faces with BlazeFace (default, Apache-2.0, models/blazeface-front-128.card.md) or this Haar
# cascade (Fer:Faces:Detector=Haar; OpenCV, Intel licence in its header).
COPY models/blazeface-front-128.onnx models/haarcascade_frontalface_default.xml /models/

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime-plain
WORKDIR /app

# The same base image as the plain flavour, so a node pulls its layers once.
FROM runtime-plain AS runtime-inference
# Face detection in photos: OpenCV's native library links GTK 3 (Ubuntu 24.04 names; its libjpeg comes with it).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgtk-3-0t64 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=models /models /app/models

FROM ${DOTNET_RUNTIME_IMAGE} AS dotnet-runtime

FROM --platform=linux/amd64 ${CUDA_IMAGE} AS runtime-gpu
# The aspnet images define APP_UID; the CUDA image does not, so the same non-root user is made here.
ENV APP_UID=1654 \
    DOTNET_ROOT=/usr/share/dotnet \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility \
    Fer__Model__Path=models/fer-cnn.onnx
# The GPU image serves the float32 export: the int8 default's QDQ pairs are a CPU speed-up (QLinearConv), and the
# CUDA provider would only dequantise them again. Not measured on a GPU here (none was lent).
# .NET's own native dependencies on Ubuntu (ICU is not needed: InvariantGlobalization=true); GTK 3 for OpenCV's
# native library (face detection in photos).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libssl3t64 libstdc++6 tzdata libgtk-3-0t64 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid "$APP_UID" app \
 && useradd --uid "$APP_UID" --gid app --no-create-home --shell /usr/sbin/nologin app
COPY --from=dotnet-runtime /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
WORKDIR /app
COPY --from=models /models /app/models

FROM runtime-${FLAVOUR} AS app
ARG PROJECT
# The hosts' assemblies are named after their projects; the cli stage below overrides it.
ENV APP_DLL=${PROJECT}.dll
COPY --from=build /app ./
# The aspnet image ships the non-root `app` user (UID $APP_UID = 1654); runtime-gpu makes the same one.
USER $APP_UID
# Exec form cannot expand APP_DLL, so a shell does it and then gives PID 1 to dotnet; the container's
# arguments ("$@") reach the program unchanged.
ENTRYPOINT ["sh", "-c", "exec dotnet \"$APP_DLL\" \"$@\"", "--"]

# `fer` command line in a container: used by the Kubernetes migration Job (`fer db migrate`) and for
# one-off operations (`docker run --rm ferbatch/cli report ...`). No port, no health check.
FROM app AS cli
ENV APP_DLL=fer.dll

# The hosts (ingest, worker, reports): the default target, being the last stage.
FROM app AS host
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080
# No curl in the base image: bash's /dev/tcp asks /healthz directly. The start period covers the slowest start,
# the GPU worker's CUDA initialisation; a host that answers earlier counts as healthy at once.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
