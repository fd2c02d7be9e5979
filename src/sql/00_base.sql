-- driftmon install script.  Generated from src/sql/*.sql by `make`: edit the
-- fragments, not sql/driftmon--<version>.sql.

\echo Use "CREATE EXTENSION driftmon" to load this file. \quit

COMMENT ON SCHEMA driftmon IS
  'driftmon: drift tests, model-quality metrics and scheduled monitors for ML inference logs';

CREATE FUNCTION driftmon.version()
RETURNS text
AS 'MODULE_PATHNAME', 'driftmon_version'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION driftmon.version() IS
  'Version of the loaded driftmon library (matches the extension version when installed correctly)';
