// Package indicator computes the training-free indicators of NAS-Bench-201
// networks (cj, cj_eig, nlr, cnntk and os; see engine/scores for their
// names) with engine/nn on real calibration images, and builds the
// precomputed indicator table: one evaluation per isomorphism class, kept in
// resumable checkpoint files, copied to every member of the class, with the
// fusion fi fitted on validation accuracy. It also measures indicators
// against accuracy (Spearman's ρ, Kendall's τ-b, the fusion's forms). It
// links gonum; the page's search engine reads the table through
// engine/scores, which does not.
package indicator
