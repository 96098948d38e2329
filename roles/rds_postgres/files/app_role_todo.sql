-- What the master user still has to do, in the app's database, for the app role %(app)s to own
-- it: one row, the statements in order (none once done).
--   1. A membership the master user can act through: PostgreSQL 16+ gives the creator of a role
--      only ADMIN on it, and handing an object to a role needs SET on it (the column set_option
--      is missing before 16, where any membership will do). It also inherits the app role's
--      rights, so a release still logging in as the master user keeps working during the move.
--   2. The database (with PostgreSQL 15+, the owner of the database owns its public schema).
--   3. The master user's schemas, tables, views, standalone sequences, functions, procedures,
--      enums and domains there (what Django's migrations create; a sequence of a serial or
--      identity column moves with its table; an extension's members stay with the extension).
WITH me AS (SELECT oid FROM pg_roles WHERE rolname = current_user),
app AS (SELECT quote_ident(%(app)s::text) AS ident),
system_schema AS (
  SELECT oid FROM pg_namespace WHERE nspname IN ('pg_catalog', 'information_schema') OR nspname ~ '^pg_'
),
extension_member AS (
  SELECT classid, objid FROM pg_depend WHERE deptype = 'e'
),
owned AS (
  SELECT 1 AS step, 'ALTER SCHEMA ' || quote_ident(n.nspname) AS target
  FROM pg_namespace n
  WHERE n.nspowner = (SELECT oid FROM me) AND n.oid NOT IN (SELECT oid FROM system_schema)
    AND (n.tableoid, n.oid) NOT IN (SELECT classid, objid FROM extension_member)
  UNION ALL
  SELECT 2, 'ALTER ' || CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                       WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END
         || ' ' || c.oid::regclass::text
  FROM pg_class c
  WHERE c.relowner = (SELECT oid FROM me) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
    AND c.relnamespace NOT IN (SELECT oid FROM system_schema)
    AND (c.tableoid, c.oid) NOT IN (SELECT classid, objid FROM extension_member)
    AND NOT (c.relkind = 'S' AND EXISTS (
      SELECT 1 FROM pg_depend d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
        AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
  UNION ALL
  SELECT 3, 'ALTER ROUTINE ' || p.oid::regprocedure::text
  FROM pg_proc p
  WHERE p.proowner = (SELECT oid FROM me) AND p.prokind IN ('f', 'p')
    AND p.pronamespace NOT IN (SELECT oid FROM system_schema)
    AND (p.tableoid, p.oid) NOT IN (SELECT classid, objid FROM extension_member)
  UNION ALL
  SELECT 4, CASE t.typtype WHEN 'd' THEN 'ALTER DOMAIN ' ELSE 'ALTER TYPE ' END || t.oid::regtype::text
  FROM pg_type t
  WHERE t.typowner = (SELECT oid FROM me) AND t.typtype IN ('e', 'd')
    AND t.typnamespace NOT IN (SELECT oid FROM system_schema)
    AND (t.tableoid, t.oid) NOT IN (SELECT classid, objid FROM extension_member)
)
SELECT
  EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %(app)s) AS app_exists,
  array_remove(ARRAY[
    CASE WHEN NOT EXISTS (
      SELECT 1 FROM pg_auth_members m
      WHERE m.roleid = (SELECT oid FROM pg_roles WHERE rolname = %(app)s) AND m.member = (SELECT oid FROM me)
        AND coalesce((to_jsonb(m) ->> 'set_option')::boolean, true))
    THEN 'GRANT ' || (SELECT ident FROM app) || ' TO ' || quote_ident(current_user) END,
    CASE WHEN pg_get_userbyid(d.datdba) <> %(app)s
    THEN 'ALTER DATABASE ' || quote_ident(d.datname) || ' OWNER TO ' || (SELECT ident FROM app) END
  ], NULL)
  || ARRAY(SELECT target || ' OWNER TO ' || (SELECT ident FROM app) FROM owned ORDER BY step, target) AS statements
FROM pg_database d
WHERE d.datname = current_database()
