# syntax=docker/dockerfile:1
#
# The Concord manager image: docker build -t ghcr.io/concord-operator/concord:dev .
# Multi-platform: docker buildx build --platform linux/amd64,linux/arm64 ... (the builder runs on the
# build machine's platform and cross-compiles; there is no cgo). `make release` builds it so, with
# VERSION, COMMIT and BUILD_DATE stamped as in the release binaries, tagged
# ghcr.io/concord-operator/concord:<VERSION without v>, the chart's default (docs/releasing.md).

FROM --platform=$BUILDPLATFORM golang:1.26 AS build
ARG TARGETOS
ARG TARGETARCH
# concord --version says these; unset, it says "dev".
ARG VERSION=""
ARG COMMIT=""
ARG BUILD_DATE=""
ENV GOTOOLCHAIN=local \
    CGO_ENABLED=0
WORKDIR /src

# Dependencies first, so that a source change does not download them again.
COPY go.mod go.sum ./
RUN go mod download

COPY . .
RUN GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags "-s -w \
      -X github.com/concord-operator/concord/internal/version.version=${VERSION} \
      -X github.com/concord-operator/concord/internal/version.commit=${COMMIT} \
      -X github.com/concord-operator/concord/internal/version.date=${BUILD_DATE}" \
    -o /out/concord ./cmd/concord

# Static binary, no shell, no package manager; runs as the distroless nonroot user, which the
# Deployment's restricted Pod Security (runAsNonRoot, read-only root filesystem) expects.
FROM gcr.io/distroless/static:nonroot
ARG VERSION=""
ARG COMMIT=""
LABEL org.opencontainers.image.source="https://github.com/concord-operator/concord" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${COMMIT}" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=build /out/concord /concord
USER 65532:65532
# 8080 metrics, 8081 health and readiness probes (config/manager/manager.yaml).
EXPOSE 8080 8081
ENTRYPOINT ["/concord"]
