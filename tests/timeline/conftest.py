import pytest


@pytest.fixture
def mipr(demo_process):
    """MIPR's demo process with the seed's ten milestones, and nothing more."""
    from demo import plan

    plan.load(demo_process)
    return demo_process
