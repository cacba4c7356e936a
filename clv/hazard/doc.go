// Package hazard predicts churn as a calibrated probability: a discrete-time
// survival (churn-hazard) model on subscriber-period rows.
package hazard
