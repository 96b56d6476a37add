"""The whole demo in one call, in the order the apps build on each other."""

from dataclasses import dataclass

from findings.models import Finding
from mipr.models import Process
from strategy.models import Strategy
from workshops.models import Workshop

from . import document, evidence, plan, process, workshop


@dataclass
class Demo:
    process: Process
    workshop: Workshop
    findings: list[Finding]
    strategy: Strategy


def load_all() -> Demo:
    mipr = process.load_process()
    plan.load(mipr)
    loaded_workshop = workshop.load(mipr)
    findings = evidence.load(mipr)
    strategy = document.load_strategy(mipr)
    return Demo(mipr, loaded_workshop, findings, strategy)
