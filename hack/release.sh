#!/usr/bin/env bash
# Builds a Concord release into $DIST. Run it through `make release`, which sets the environment
# below; docs/releasing.md is the procedure and says how to verify what this writes.
#
#   concord-linux-amd64, concordctl-linux-arm64, ...   static binaries (CGO_ENABLED=0, -trimpath),
#                                                      stamped with VERSION, COMMIT and BUILD_DATE
#   <binary>.cdx.json                                  CycloneDX SBOM of each binary (cyclonedx-gomod bin:
#                                                      the modules linked into it, from its build info)
#   concord-<chart version>.tgz                        the Helm chart; version and appVersion are VERSION
#                                                      without its "v", and the default image tag
#   IMAGE                                              the image reference the chart defaults to
#   concord-image-<chart version>.oci.tar              the image, where docker buildx built it
#   SHA256SUMS                                         sha256sum of every file above (sha256sum -c)
set -euo pipefail
cd "$(dirname "$0")/.."

for v in VERSION COMMIT BUILD_DATE VERSION_LDFLAGS DIST PLATFORMS IMAGE_REPO HELM CYCLONEDX_GOMOD; do
  if [ -z "${!v:-}" ]; then
    echo "release: $v is not set (run make release)" >&2
    exit 1
  fi
done
# A release version is a semantic version with a "v": the git tag, or a pre-release of one.
if ! [[ $VERSION =~ ^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$ ]]; then
  echo "release: VERSION=$VERSION is not a release version (vMAJOR.MINOR.PATCH[-PRERELEASE]):" \
    "tag the commit (git tag -a v0.2.0 -m v0.2.0) or pass one (make release VERSION=v0.2.0-rc.1)" >&2
  exit 1
fi
case $VERSION in
*-dirty) echo "release: warning: $VERSION: the work tree has uncommitted changes" >&2 ;;
esac
chart_version=${VERSION#v}
image="$IMAGE_REPO:$chart_version"

rm -rf "$DIST"
mkdir -p "$DIST"
echo "release: $VERSION (commit $COMMIT, built $BUILD_DATE) into $DIST"
for platform in $PLATFORMS; do
  os=${platform%/*}
  arch=${platform#*/}
  for cmd in concord concordctl; do
    out="$DIST/$cmd-$os-$arch"
    echo "release: $cmd for $os/$arch"
    CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -ldflags "-s -w $VERSION_LDFLAGS" -o "$out" "./cmd/$cmd"
    # GOOS and GOARCH name the platform in the SBOM's package URLs.
    GOOS=$os GOARCH=$arch "$CYCLONEDX_GOMOD" bin -json -noserial -notimestamp -version "$VERSION" \
      -output "$out.cdx.json" "$out"
  done
done

# helm package stamps the time of packaging on every file: pack its files again, sorted, with the
# build date and without gzip's own timestamp, so that the chart too is the same bytes when built again.
chart="$DIST/concord-$chart_version.tgz"
"$HELM" package charts/concord --version "$chart_version" --app-version "$chart_version" --destination "$DIST"
repack=$(mktemp -d)
trap 'rm -rf "$repack"' EXIT
tar -xzmf "$chart" -C "$repack"
(
  cd "$repack"
  find concord -type f | LC_ALL=C sort |
    tar --no-recursion --mtime="@$(date -u -d "$BUILD_DATE" +%s)" --owner=0 --group=0 --numeric-owner \
      --mode=u=rw,go=r -cf - -T -
) | gzip -n -9 >"$chart"
echo "$image" >"$DIST/IMAGE"

# The image: the Dockerfile with docker buildx, or ko (.ko.yaml), both for every platform.
platforms=${PLATFORMS// /,}
if docker buildx version >/dev/null 2>&1; then
  echo "release: building $image with docker buildx"
  args=(--platform "$platforms" --build-arg "VERSION=$VERSION" --build-arg "COMMIT=$COMMIT"
    --build-arg "BUILD_DATE=$BUILD_DATE" --tag "$image")
  if [ "${IMAGE_PUSH:-false}" = true ]; then
    args+=(--push)
  else
    # A multi-platform image cannot be loaded into the local image store: write it as an OCI archive
    # (needs a docker-container builder: docker buildx create --use).
    args+=(--output "type=oci,dest=$DIST/concord-image-$chart_version.oci.tar")
  fi
  docker buildx build "${args[@]}" .
elif command -v ko >/dev/null 2>&1; then
  echo "release: building $image with ko"
  VERSION=$VERSION COMMIT=$COMMIT BUILD_DATE=$BUILD_DATE KO_DOCKER_REPO=$IMAGE_REPO \
    ko build --bare --platform="$platforms" --tags="$chart_version" --push="${IMAGE_PUSH:-false}" ./cmd/concord
else
  echo "release: no image builder here (neither docker buildx nor ko): $image was not built." \
    "Build it where one exists (docs/releasing.md, \"The image\")."
fi

(
  cd "$DIST"
  files=()
  for f in *; do
    [ "$f" = SHA256SUMS ] || files+=("$f")
  done
  sha256sum -- "${files[@]}" >SHA256SUMS
)
echo "release: done:"
ls -l "$DIST"
