-- Fieldbus domain key service (EmSA WP-104 chapter 3; fieldbus/DESIGN.md "Domain keys"). Portable H2 2.x / PostgreSQL.
-- No key material is stored in clear: Integrator/Operator Keys are derived from the master key (key store) on demand,
-- node Provisioning Keys are stored wrapped (AES-256-GCM under a key derived from the master).
CREATE TABLE fieldbus_machine (
    machine_id          VARCHAR(64)   NOT NULL PRIMARY KEY,
    current_revision    INTEGER       NOT NULL,
    operator_key        BOOLEAN       NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL
);

-- A controller is the enrolled device (registrar device serial) that commissions the machine's nodes.
CREATE TABLE fieldbus_controller (
    device_serial       VARCHAR(128)  NOT NULL PRIMARY KEY,
    machine_id          VARCHAR(64)   NOT NULL REFERENCES fieldbus_machine (machine_id)
);
CREATE INDEX fieldbus_controller_machine ON fieldbus_controller (machine_id);

-- state: active (the current revision), retired (superseded by a rotation), revoked (refused).
CREATE TABLE fieldbus_revision (
    machine_id          VARCHAR(64)   NOT NULL REFERENCES fieldbus_machine (machine_id),
    revision            INTEGER       NOT NULL,
    state               VARCHAR(16)   NOT NULL,
    integrator_key_id   BIGINT        NOT NULL,
    operator_key_id     BIGINT,
    reason              VARCHAR(256)  NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at            TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (machine_id, revision)
);

-- A node (UNSIGNED32 serial, CiA 301 0x1018:4) belongs to one machine.
CREATE TABLE fieldbus_node_key (
    node_serial         BIGINT        NOT NULL PRIMARY KEY,
    machine_id          VARCHAR(64)   NOT NULL REFERENCES fieldbus_machine (machine_id),
    wrapped_key         BYTEA         NOT NULL,
    key_id              BIGINT        NOT NULL,
    source              VARCHAR(16)   NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    CHECK (node_serial >= 0 AND node_serial <= 4294967295)
);
CREATE INDEX fieldbus_node_key_machine ON fieldbus_node_key (machine_id);

-- The latest report of each node: which revision and Key IDs it holds, as read back by the controller.
CREATE TABLE fieldbus_node_report (
    node_serial         BIGINT        NOT NULL PRIMARY KEY,
    machine_id          VARCHAR(64)   NOT NULL REFERENCES fieldbus_machine (machine_id),
    node_id             INTEGER       NOT NULL,
    revision            INTEGER,
    pk_key_id           BIGINT,
    ik_key_id           BIGINT,
    ok_key_id           BIGINT,
    status              VARCHAR(32)   NOT NULL,
    reported_by         VARCHAR(128)  NOT NULL,
    reported_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    CHECK (node_serial >= 0 AND node_serial <= 4294967295)
);
CREATE INDEX fieldbus_node_report_machine ON fieldbus_node_report (machine_id);
