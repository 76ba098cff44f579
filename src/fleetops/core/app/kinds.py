"""The Argo CD kinds fleetops serves (group `argoproj.io`, version `v1alpha1`)."""

from __future__ import annotations

from fleetops.model import GroupVersionKind

APPLICATION = GroupVersionKind("argoproj.io", "v1alpha1", "Application")
APPPROJECT = GroupVersionKind("argoproj.io", "v1alpha1", "AppProject")
APPLICATIONSET = GroupVersionKind("argoproj.io", "v1alpha1", "ApplicationSet")
