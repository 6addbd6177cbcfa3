// Package grafana holds gometer's Grafana dashboards (JSON files beside
// this one): gometer-influxdb.json for the InfluxDB Backend Listener's
// schema, gometer-prometheus.json for the /metrics endpoint. Its test
// checks them against what gometer's outputs really write.
package grafana
