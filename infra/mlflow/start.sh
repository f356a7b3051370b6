#!/bin/sh
# Starts MLflow with its basic-auth app. The auth configuration is written here from the environment (.env via
# docker-compose.yml), so no password sits in a file in the repository. MLflow creates the admin user from it on
# the first start only; to change the admin password later, use MLflow's users/update-password API.
set -eu
: "${MLFLOW_ADMIN_USERNAME:?set MLFLOW_ADMIN_USERNAME in .env (see .env.example)}"
: "${MLFLOW_ADMIN_PASSWORD:?set MLFLOW_ADMIN_PASSWORD in .env (see .env.example)}"
: "${MLFLOW_FLASK_SERVER_SECRET_KEY:?set MLFLOW_FLASK_SERVER_SECRET_KEY in .env (see .env.example)}"

config=/mlflow/basic_auth.ini
umask 077
cat > "$config" <<INI
[mlflow]
default_permission = READ
database_uri = sqlite:////mlflow/basic_auth.db
admin_username = ${MLFLOW_ADMIN_USERNAME}
admin_password = ${MLFLOW_ADMIN_PASSWORD}
authorization_function = mlflow.server.auth:authenticate_request_basic_auth
INI
export MLFLOW_AUTH_CONFIG_PATH="$config"

exec mlflow server --app-name basic-auth --host 0.0.0.0 --port 5000 \
    --backend-store-uri sqlite:////mlflow/mlflow.db \
    --artifacts-destination /mlflow/artifacts --serve-artifacts
