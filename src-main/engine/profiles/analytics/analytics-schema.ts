/**
 * The analytics databases' schemas, from seed 004's "Database Schema Design". The seed writes
 * its indexes inside CREATE TABLE (`INDEX idx_timestamp (timestamp)`), which SQLite does not
 * accept, so they are separate CREATE INDEX statements here with the seed's names; the warm
 * tier's tables are named but not specified by the seed, so their columns are the monthly
 * counterparts of the hot tier's.
 */

/** The hot tier, `analytics/comprehensive_metrics.db`. */
export const HOT_SCHEMA = `
CREATE TABLE user_interactions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL,
  timestamp DATETIME NOT NULL,
  user_role TEXT NOT NULL,
  query TEXT NOT NULL,
  query_hash TEXT,
  query_type TEXT NOT NULL,
  response_time REAL NOT NULL,
  response_length INTEGER,
  code_snippets_shown INTEGER DEFAULT 0,
  citations_provided INTEGER DEFAULT 0,
  success BOOLEAN NOT NULL,
  user_rating INTEGER CHECK(user_rating BETWEEN 1 AND 5),
  follow_up_query BOOLEAN DEFAULT FALSE,
  conversation_turn INTEGER DEFAULT 1,
  ip_hash TEXT,
  user_agent_hash TEXT,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_timestamp ON user_interactions (timestamp);
CREATE INDEX idx_session_id ON user_interactions (session_id);
CREATE INDEX idx_user_role ON user_interactions (user_role);
CREATE INDEX idx_query_type ON user_interactions (query_type);
CREATE INDEX idx_success ON user_interactions (success);
CREATE INDEX idx_query_hash ON user_interactions (query_hash);

CREATE TABLE session_analytics (
  session_id TEXT PRIMARY KEY,
  user_role TEXT NOT NULL,
  start_time DATETIME NOT NULL,
  last_activity DATETIME NOT NULL,
  total_queries INTEGER DEFAULT 0,
  successful_queries INTEGER DEFAULT 0,
  avg_response_time REAL,
  total_code_snippets INTEGER DEFAULT 0,
  total_citations INTEGER DEFAULT 0,
  session_rating REAL,
  conversion_achieved BOOLEAN DEFAULT FALSE,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_session_user_role ON session_analytics (user_role);
CREATE INDEX idx_start_time ON session_analytics (start_time);
CREATE INDEX idx_conversion ON session_analytics (conversion_achieved);

CREATE TABLE content_performance (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  content_type TEXT NOT NULL,
  content_id TEXT NOT NULL,
  content_hash TEXT,
  access_count INTEGER DEFAULT 1,
  avg_relevance_score REAL,
  success_rate REAL,
  user_roles_accessing TEXT,
  first_accessed DATETIME,
  last_accessed DATETIME NOT NULL,
  performance_score REAL,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  UNIQUE(content_type, content_id)
);
CREATE INDEX idx_content_type ON content_performance (content_type);
CREATE INDEX idx_performance_score ON content_performance (performance_score);
CREATE INDEX idx_last_accessed ON content_performance (last_accessed);

CREATE TABLE query_performance (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  query_normalized TEXT NOT NULL,
  query_category TEXT,
  total_asks INTEGER DEFAULT 1,
  success_rate REAL,
  avg_response_time REAL,
  avg_user_rating REAL,
  popular_roles TEXT,
  trending_score REAL,
  last_asked DATETIME NOT NULL,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  UNIQUE(query_normalized)
);
CREATE INDEX idx_query_category ON query_performance (query_category);
CREATE INDEX idx_success_rate ON query_performance (success_rate);
CREATE INDEX idx_trending_score ON query_performance (trending_score);
CREATE INDEX idx_last_asked ON query_performance (last_asked);

CREATE TABLE system_performance (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  timestamp DATETIME NOT NULL,
  metric_name TEXT NOT NULL,
  metric_value REAL NOT NULL,
  metric_unit TEXT,
  component TEXT,
  alert_threshold REAL,
  is_alert BOOLEAN DEFAULT FALSE,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_system_timestamp ON system_performance (timestamp);
CREATE INDEX idx_metric_name ON system_performance (metric_name);
CREATE INDEX idx_component ON system_performance (component);
CREATE INDEX idx_is_alert ON system_performance (is_alert);

CREATE TABLE data_retention_policy (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  table_name TEXT NOT NULL,
  retention_days INTEGER NOT NULL,
  archive_after_days INTEGER,
  last_cleanup DATETIME,
  cleanup_enabled BOOLEAN DEFAULT TRUE,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  UNIQUE(table_name)
);

CREATE TABLE business_metrics (
  date TEXT PRIMARY KEY,
  total_queries INTEGER NOT NULL,
  unique_sessions INTEGER NOT NULL,
  success_rate REAL,
  avg_response_time REAL,
  avg_user_rating REAL
);
`;

/** The warm tier, `analytics/historical_metrics.db`. */
export const HISTORICAL_SCHEMA = `
CREATE TABLE user_interactions_monthly (
  month TEXT NOT NULL,
  user_role TEXT NOT NULL,
  query_type TEXT NOT NULL,
  interactions INTEGER NOT NULL,
  successes INTEGER NOT NULL,
  avg_response_time REAL,
  avg_user_rating REAL,
  PRIMARY KEY (month, user_role, query_type)
);
CREATE TABLE content_analytics_monthly (
  month TEXT NOT NULL,
  content_type TEXT NOT NULL,
  content_id TEXT NOT NULL,
  access_count INTEGER NOT NULL,
  avg_relevance_score REAL,
  PRIMARY KEY (month, content_type, content_id)
);
CREATE TABLE business_metrics_monthly (
  month TEXT PRIMARY KEY,
  total_queries INTEGER NOT NULL,
  unique_sessions INTEGER NOT NULL,
  success_rate REAL,
  avg_response_time REAL
);
CREATE TABLE performance_baselines (
  metric_name TEXT NOT NULL,
  component TEXT NOT NULL,
  month TEXT NOT NULL,
  p50 REAL NOT NULL,
  p95 REAL NOT NULL,
  PRIMARY KEY (metric_name, component, month)
);
`;
