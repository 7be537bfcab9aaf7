-- Run once by the postgres:15 image on an empty data volume
-- (/docker-entrypoint-initdb.d). Mirrors what infra/stack/up.sh creates locally:
-- the app's role and one database per subgraph.

-- SUPERUSER: tests create/drop databases and may need extensions; dev only.
CREATE ROLE ticketing LOGIN SUPERUSER CREATEDB PASSWORD 'ticketing';

CREATE DATABASE ticketing_user OWNER ticketing;
CREATE DATABASE ticketing_concert OWNER ticketing;
CREATE DATABASE ticketing_queue OWNER ticketing;
CREATE DATABASE ticketing_booking OWNER ticketing;
CREATE DATABASE ticketing_payment OWNER ticketing;
