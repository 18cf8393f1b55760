package v1

import "time"

type RetryPolicy struct {
	MaxAttempts  int   `json:"max_attempts,omitempty"`
	BackoffMs    int64 `json:"backoff_ms,omitempty"`
	MaxBackoffMs int64 `json:"max_backoff_ms,omitempty"`
}
type Envelope struct {
	RunID             string       `json:"run_id,omitempty"`
	StepID            string       `json:"step_id,omitempty"`
	ParentStepID      string       `json:"parent_step_id,omitempty"`
	TenantID          string       `json:"tenant_id,omitempty"`
	IdempotencyKey    string       `json:"idempotency_key,omitempty"`
	TargetTopic       string       `json:"target_topic,omitempty"`
	Deadline          *time.Time   `json:"deadline,omitempty"`
	RetryPolicy       *RetryPolicy `json:"retry_policy,omitempty"`
	PartitionOverride *int         `json:"partition_override,omitempty"`
}
type ProduceRequest struct {
	Topic    string    `json:"topic"`
	Key      string    `json:"key,omitempty"`
	Value    string    `json:"value"`
	Envelope *Envelope `json:"envelope,omitempty"`
}
type ConsumeRequest struct {
	Topic   string `json:"topic"`
	Group   string `json:"group"`
	Owner   string `json:"owner"`
	LeaseMs int64  `json:"lease_ms"`
}
type TopicsCreateRequest struct {
	Name       string `json:"name"`
	Partitions int    `json:"partitions,omitempty"`
}
