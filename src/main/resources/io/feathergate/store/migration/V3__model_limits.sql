-- A key's requests and tokens per minute for single model groups (model_rpm_limit,
-- model_tpm_limit), as JSON objects of model group to limit.
ALTER TABLE fg_key ADD COLUMN model_rpm_limit TEXT;
ALTER TABLE fg_key ADD COLUMN model_tpm_limit TEXT;
