-- base: the extension loads, reports its version and documents every object.
-- (pg_regress creates the extension with --load-extension=driftmon.)

-- The library and the SQL objects agree on the version.
SELECT driftmon.version() = extversion AS version_matches,
       extrelocatable,
       extnamespace::regnamespace AS schema
FROM pg_extension WHERE extname = 'driftmon';

-- Every object the extension owns carries a COMMENT (functions, aggregates,
-- types, tables, views, casts...).  Expected: no row.
SELECT pg_describe_object(d.classid, d.objid, 0) AS undocumented
FROM pg_depend d
WHERE d.refclassid = 'pg_extension'::regclass
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'driftmon')
  AND d.deptype = 'e'
  AND NOT (d.classid = 'pg_class'::regclass
           AND (SELECT relkind FROM pg_class WHERE oid = d.objid) = 'S')
  AND obj_description(d.objid, d.classid::regclass::text) IS NULL
ORDER BY 1;

-- Every PL/pgSQL or SQL function pins its search_path.  Expected: no row.
SELECT p.oid::regprocedure AS unpinned
FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
WHERE p.pronamespace = 'driftmon'::regnamespace
  AND l.lanname = 'plpgsql'
  AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%')
ORDER BY 1;

-- No SECURITY DEFINER function.  Expected: no row.
SELECT p.oid::regprocedure AS security_definer
FROM pg_proc p
WHERE p.pronamespace = 'driftmon'::regnamespace AND p.prosecdef
ORDER BY 1;

-- Every C function is PARALLEL SAFE: none touches shared state.
-- Expected: no row.
SELECT p.oid::regprocedure AS not_parallel_safe
FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
WHERE p.pronamespace = 'driftmon'::regnamespace
  AND l.lanname = 'c' AND p.proparallel <> 's'
ORDER BY 1;
