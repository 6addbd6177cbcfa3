#!/bin/sh
# Regenerates the expected outputs (*.out) of the script goldens with the
# real Groovy 3.0.9 and BeanShell 2.0b6 that ship with JMeter 5.6.3.
# Usage: JMETER_HOME=/opt/jmeter script/java/testdata/regen.sh
set -e
: "${JMETER_HOME:?set JMETER_HOME to a JMeter 5.6.3 installation}"
cd "$(dirname "$0")"
groovy=$(ls "$JMETER_HOME"/lib/groovy-3*.jar | head -1)
for f in groovy/*.groovy; do
	java -cp "$groovy" groovy.ui.GroovyMain "$f" >"${f%.groovy}.out" 2>&1 || true
done
for f in beanshell/*.bsh; do
	java -cp "$JMETER_HOME/lib/bsh-2.0b6.jar" bsh.Interpreter "$f" >"${f%.bsh}.out" 2>&1 || true
done
