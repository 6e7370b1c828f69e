#!/bin/bash
# A Slurm job array that runs one `llmm batch` input as 4 shards, one per array task:
#
#   sbatch docs/examples/batch-slurm.sh /shared/prompts.jsonl /shared/answers
#
# Each task writes /shared/answers-<shard>.jsonl. --resume makes a requeued or re-submitted task
# continue where it stopped (a missing output starts from the beginning), so resubmitting the
# whole array after a failure redoes only what is missing. llmm reads its shard from
# SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT; keep --array a range
# (0-3 or 1-4: both work). The 4 tasks share the account's Bedrock quota: -c is per task.
#
# Credentials: the standard AWS chain (an instance role, AWS_PROFILE, ...). Settings from the
# environment of the sbatch call: LLMM_MODEL, LLMM_REGIONS (space-separated), LLMM_CONCURRENCY,
# and LLMM_BATCH_FLAGS for any further flag of `llmm batch`.
#SBATCH --job-name=llmm-batch
#SBATCH --array=0-3
#SBATCH --cpus-per-task=2
#SBATCH --mem=1G
#SBATCH --time=08:00:00
#SBATCH --requeue
#SBATCH --output=llmm-batch-%A_%a.log
set -euo pipefail

input=${1:?usage: sbatch batch-slurm.sh INPUT.jsonl OUTPUT_PREFIX}
prefix=${2:?usage: sbatch batch-slurm.sh INPUT.jsonl OUTPUT_PREFIX}

region_flags=()
for region in ${LLMM_REGIONS:-us-east-1 us-west-2}; do region_flags+=(--region "$region"); done
# shellcheck disable=SC2206  # LLMM_BATCH_FLAGS is a list of flags, split on spaces on purpose
extra_flags=(${LLMM_BATCH_FLAGS:-})

# Exit code 3 (stopped by a signal: Slurm's SIGTERM at the time limit or a preemption) is left
# for --resume on the next submission; 1 means some lines failed (see the records).
exec llmm batch "$input" -o "${prefix}-{shard}.jsonl" --resume \
  --model "${LLMM_MODEL:-Claude 3 Haiku}" "${region_flags[@]}" \
  -c "${LLMM_CONCURRENCY:-16}" --json-summary "${prefix}-summary-{shard}.json" \
  "${extra_flags[@]}"
