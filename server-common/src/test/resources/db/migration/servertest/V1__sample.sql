CREATE TABLE sample (id BIGINT PRIMARY KEY, name VARCHAR(64) NOT NULL);
INSERT INTO sample (id, name) VALUES (1, 'one');
