#!/bin/sh
# Regenerates the expected outputs (*.out) of the script goldens with the
# real Groovy 3.0.9 and BeanShell 2.0b6 that ship with JMeter 5.6.3, with
# JMeter's library jars (commons-codec, commons-lang3, json-smart,
# json-path) on the class path as in a JMeter run.
# Usage: JMETER_HOME=/opt/jmeter script/java/testdata/regen.sh
set -e
: "${JMETER_HOME:?set JMETER_HOME to a JMeter 5.6.3 installation}"
cd "$(dirname "$0")"
cp=$(ls "$JMETER_HOME"/lib/*.jar | tr '\n' ':')
for f in groovy/*.groovy; do
	(cd groovy && TZ=UTC java -Duser.language=en -Duser.country=US -cp "$cp" groovy.ui.GroovyMain "$(basename "$f")") >"${f%.groovy}.out" 2>&1 || true
done
for f in beanshell/*.bsh; do
	(cd beanshell && TZ=UTC java -Duser.language=en -Duser.country=US -cp "$cp" bsh.Interpreter "$(basename "$f")") >"${f%.bsh}.out" 2>&1 || true
done
# BeanShell's error texts for failing scripts (EvalError and its JSR223
# engine's ScriptException), one JSON file for all cases
(cd bsherrors && java -Duser.language=en -Duser.country=US -cp "$cp" BshErrors.java cases.txt) >bsherrors/cases.json
