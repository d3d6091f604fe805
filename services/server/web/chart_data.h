// The numbers of the plan's pictures, counted from a PlanView (kept apart from the drawing
// so that the counts can be checked on their own).
#pragma once

#include "services/server/web/charts.h"
#include "services/server/web/plan_data.h"

namespace torikumi::server::web {

// 評価 by area: one bar per area of the plan, one segment per grade of its scale and one
// for initiatives without a human grade (未評価).
StackedBarChart HumanGradesByArea(const PlanView& view);

// The computed grades by area, with データ不足 and 未算出 (no rating recorded) segments.
StackedBarChart ComputedGradesByArea(const PlanView& view);

// Human (rows) against computed (columns) grades, from CompareRatings' confusion matrix.
HeatMap HumanAgainstComputed(const PlanView& view);

// Per fiscal year of the period, the initiatives whose schedule plans a phase that year,
// split by what their outcome of that year says was achieved.
StackedBarChart PlannedAgainstAchieved(const PlanView& view);

}  // namespace torikumi::server::web
