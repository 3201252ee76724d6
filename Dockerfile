# checkind in a container (docs/operations.md, "Container").
#
#   docker build -t checkin .                    # podman/buildah: add --format docker
#   docker run -d --name checkind --stop-timeout 30 -p 127.0.0.1:8080:8080 \
#     -v /srv/checkin/etc:/etc/checkin:ro -e TWILIO_AUTH_TOKEN checkin
#   docker logs -t checkind                        # -t: the time of each line
#
# --stop-timeout: checkind may take shutdown_timeout_seconds (default 20) to
# finish the batch in hand after SIGTERM; Docker's default is 10 s.
#
# Config: mount a directory with checkin.yaml at /etc/checkin. Inside a
# container it must listen on all interfaces (http.listen: "0.0.0.0:8080")
# and reach Redis by a name or address (redis.url: "redis://redis:6379/0").
# Token: either the environment (twilio.auth_token_env, TWILIO_AUTH_TOKEN by
# default: docker run -e TWILIO_AUTH_TOKEN) or a mounted file named by
# twilio.auth_token_file (e.g. a Docker/Kubernetes secret at
# /run/secrets/twilio-auth-token). Logs go to stderr without timestamps
# (journald adds them under systemd): `docker logs -t` shows the time Docker
# recorded for each line. The mounted files must be readable by uid 10001 or
# gid 10001.
#
# The build stage runs the same steps as an install on a server:
# scripts/install-deps.sh --build-only, then scripts/install.sh (cmake
# configure, Release build, cmake --install), here into /out.

FROM debian:bookworm-slim AS build
WORKDIR /src
COPY scripts/install-deps.sh scripts/
RUN scripts/install-deps.sh --build-only && rm -rf /var/lib/apt/lists/*
COPY . .
RUN scripts/install.sh --no-deps --prefix /usr --destdir /out --build-dir /tmp/build

FROM debian:bookworm-slim
# Runtime libraries only: one package per library the binaries link
# (tests/service/dockerfile_packages_test.sh checks this list against
# `readelf -d` of the built binaries), plus CA certificates (HTTPS to
# Twilio) and tzdata (group time zones).
# runtime-packages-begin
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates \
      libcpp-httplib0.11 \
      libcurl4 \
      libdate-tz3 \
      libfmt9 \
      libhiredis0.14 \
      libical3 \
      libicu72 \
      libphonenumber8 \
      libprometheus-cpp-core1.0 \
      libspdlog1.10 \
      libssl3 \
      libstdc++6 \
      libsystemd0 \
      libyaml-cpp0.7 \
      tzdata \
 && rm -rf /var/lib/apt/lists/*
# runtime-packages-end
COPY --from=build /out/usr/ /usr/
# A fixed unprivileged user and group, both 10001 (useradd alone would pick
# a system gid such as 999 for the group, and USER 10001:10001 would name a
# gid no group has); the config only needs to be readable by them.
# tests/service/dockerfile_packages_test.sh checks that the three agree.
RUN groupadd --system --gid 10001 checkin \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin checkin \
 && install -d -m 0755 /etc/checkin
USER 10001:10001
EXPOSE 8080
# /healthz answers 200 while the process serves. The probe is checkind
# itself: `checkind --healthcheck` reads http.listen from the config file the
# daemon reads, with the daemon's own parser, and GETs /healthz there (a
# wildcard 0.0.0.0 or :: on loopback), within 3 s. So it follows a listener
# moved off 8080 and needs no curl in the image. Chosen over a script that
# pulls the address out of the YAML with sed or bash: that would be a second,
# weaker reader of the config, wrong on the first file it reads differently
# (quotes, a flow map, [::1]); a built-in probe is what e.g. `traefik
# healthcheck` gives Traefik's image. Keep its --config the same as CMD's.
# tests/service runs this exact command against a running checkind.
# Podman and buildah drop HEALTHCHECK from OCI-format images (their default):
# build with --format docker (docs/operations.md, "Container").
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["/usr/bin/checkind", "--config", "/etc/checkin/checkin.yaml", "--healthcheck"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/checkind"]
CMD ["--config", "/etc/checkin/checkin.yaml"]
