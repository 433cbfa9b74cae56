#!/bin/sh
# Starts Annals from the extracted jar with a class-data sharing archive of its own classes (JDK 17's dynamic CDS):
# about a third less time to its ready line (WorkerStartBenchmarkIT, "Past one machine" in the README). The archive
# is per set of roles, since each loads other classes, and is written by a training start the first time: the
# platform starts with ANNALS_ROLES against its servers (they must be reachable, as they must for any start), stops
# once its context is ready (spring.context.exit=onRefresh: no worker starts, nothing is consumed), and the JVM writes
# the archive as it exits. A missing, stale or unusable archive only costs the speed-up (the JVM starts without it).
# ANNALS_CDS=off skips all this.
set -eu
APP="${ANNALS_APP_JAR:-/opt/annals/app/annals.jar}"
ROLES=$(printf '%s' "${ANNALS_ROLES:-all}" | tr ',' '-')
# named after the build too (a checksum of the application jar), so an upgraded image writes an archive of its own
# instead of finding the previous build's (which the JVM would refuse)
BUILD=$(cksum "$APP" | cut -d' ' -f1)
ARCHIVE="${ANNALS_CDS_ARCHIVE:-/var/lib/annals/cds/annals-$ROLES-$BUILD.jsa}"
if [ "${ANNALS_CDS:-on}" = "off" ]; then
  exec java -jar "$APP" "$@"
fi
if [ ! -f "$ARCHIVE" ]; then
  mkdir -p "$(dirname "$ARCHIVE")"
  echo "annals-start: writing the class-data archive $ARCHIVE (a training start of roles ${ANNALS_ROLES:-all})"
  java -XX:ArchiveClassesAtExit="$ARCHIVE" -Xlog:cds=off -Xlog:cds+dynamic=off -Dspring.context.exit=onRefresh \
      -jar "$APP" "$@" > /tmp/annals-cds-training.log 2>&1 \
    || { echo "annals-start: the training start failed; starting without the archive (/tmp/annals-cds-training.log)"; \
         rm -f "$ARCHIVE"; exec java -jar "$APP" "$@"; }
fi
exec java -XX:SharedArchiveFile="$ARCHIVE" -Xlog:cds=off -Xlog:cds+dynamic=off -jar "$APP" "$@"
