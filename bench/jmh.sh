#!/usr/bin/env bash
# JMH benchmarks of the hot per-line code (src/test/java/io/proxywatch/bench/*Bench.java).
#   bench/jmh.sh                      all of them
#   bench/jmh.sh PipelineCostBench    one class (any JMH regex and options after it, e.g. -f 1 -wi 2 -i 3)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/jmh.classpath -Dmdep.includeScope=test >/dev/null
exec java -cp "target/test-classes:target/classes:$(cat target/jmh.classpath)" org.openjdk.jmh.Main "${@:-.*Bench}"
