-- Teams and users (LiteLLM_TeamTable, LiteLLM_UserTable): budgets and limits that apply to every
-- key of the team or the user, on top of the key's own.
CREATE TABLE fg_team (
  team_id VARCHAR(255) PRIMARY KEY,
  team_alias VARCHAR(255),
  models TEXT NOT NULL,
  max_budget DOUBLE PRECISION,
  budget_duration VARCHAR(16),
  budget_reset_at TIMESTAMP WITH TIME ZONE,
  spend DOUBLE PRECISION DEFAULT 0 NOT NULL,
  rpm_limit BIGINT,
  tpm_limit BIGINT,
  max_parallel_requests BIGINT,
  blocked BOOLEAN DEFAULT FALSE NOT NULL,
  members TEXT NOT NULL,
  metadata TEXT NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE fg_user (
  user_id VARCHAR(255) PRIMARY KEY,
  user_email VARCHAR(255),
  user_role VARCHAR(64),
  models TEXT NOT NULL,
  max_budget DOUBLE PRECISION,
  budget_duration VARCHAR(16),
  budget_reset_at TIMESTAMP WITH TIME ZONE,
  spend DOUBLE PRECISION DEFAULT 0 NOT NULL,
  rpm_limit BIGINT,
  tpm_limit BIGINT,
  max_parallel_requests BIGINT,
  metadata TEXT NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
