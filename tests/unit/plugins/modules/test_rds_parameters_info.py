"""rds_parameters_info: the wanted settings split by how RDS applies them (moto's in-process RDS
lists no engine parameters, so the group's parameters are given as AWS lists them where needed)."""

from moto.core import DEFAULT_ACCOUNT_ID
from moto.rds.models import rds_backends

from ansible_collections.django_aws.deploy.plugins.modules.rds_parameters_info import main, split_settings

from ..conftest import REGION

# DescribeDBParameters as AWS answers it (abridged to the keys the module reads).
AWS_PARAMETERS = {
    "log_min_duration_statement": {"ParameterName": "log_min_duration_statement", "ApplyType": "dynamic",
                                   "DataType": "integer", "IsModifiable": True, "Source": "engine-default"},
    "max_connections": {"ParameterName": "max_connections", "ApplyType": "static", "DataType": "integer",
                        "IsModifiable": True, "Source": "user", "ParameterValue": "150"},
    "rds.force_ssl": {"ParameterName": "rds.force_ssl", "ApplyType": "dynamic", "DataType": "boolean",
                      "IsModifiable": True, "Source": "user", "ParameterValue": "1"},
}


def test_settings_split_by_apply_type():
    split = split_settings({"log_min_duration_statement": 500, "max_connections": 200, "rds.force_ssl": "1",
                            "no_such_setting": "x"}, AWS_PARAMETERS)
    assert split["dynamic"] == {"log_min_duration_statement": 500, "rds.force_ssl": "1", "no_such_setting": "x"}
    assert split["static"] == {"max_connections": 200}
    assert split["static_changes"] == ["max_connections"]


def test_a_static_setting_already_set_is_no_change():
    """Compared as amazon.aws.rds_instance_param_group sends it: units multiplied out, booleans 1/0."""
    assert split_settings({"max_connections": 150}, AWS_PARAMETERS)["static_changes"] == []
    assert split_settings({"max_connections": "150"}, AWS_PARAMETERS)["static_changes"] == []
    parameters = {"shared_buffers": {"ApplyType": "static", "DataType": "integer", "ParameterValue": "131072"},
                  "ssl": {"ApplyType": "static", "DataType": "boolean", "ParameterValue": "1"}}
    assert split_settings({"shared_buffers": "128K", "ssl": "on"}, parameters)["static_changes"] == []
    assert split_settings({"shared_buffers": "256K", "ssl": False}, parameters)["static_changes"] == ["shared_buffers", "ssl"]


def test_missing_group_is_not_an_error(aws, run_module):
    code, result = run_module(main, {"db_parameter_group_name": "nope", "settings": {"max_connections": 100}})
    assert code == 0, result
    assert result["exists"] is False and result["changed"] is False
    assert result["dynamic"] == {"max_connections": 100} and result["static"] == {}


def test_reads_every_page_of_the_group(aws, run_module):
    """More parameters than one page (100) holds, the static one last."""
    aws.client("rds").create_db_parameter_group(DBParameterGroupName="pg", DBParameterGroupFamily="postgres17",
                                                Description="x")
    group = rds_backends[DEFAULT_ACCOUNT_ID][REGION].db_parameter_groups["pg"]
    for index in range(150):
        name = f"p{index:03d}"
        group.parameters[name] = {"ParameterName": name, "ApplyType": "static" if index == 149 else "dynamic",
                                  "DataType": "integer", "IsModifiable": True, "Source": "engine-default"}
    code, result = run_module(main, {"db_parameter_group_name": "pg", "settings": {"p149": 1, "p000": 2}})
    assert code == 0, result
    assert result["exists"] is True
    assert result["static"] == {"p149": 1} and result["dynamic"] == {"p000": 2}
    assert result["static_changes"] == ["p149"]
