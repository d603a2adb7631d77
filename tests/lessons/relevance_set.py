"""A small labelled set for measuring search relevance: 30 lessons of four earlier
programs and 12 queries written like the risks, change requests and authorizations
they should surface for, each with the lessons a program manager would want to see.

Keys (``"LAB-1"``) stand for lessons; :data:`QUERIES` maps a query to its relevant keys.
"""

from __future__ import annotations

# program code → (program name, [(key, title, description, root cause, recommendation,
#                                  category, domain, tags)])
LESSONS: dict[str, tuple[str, list[tuple[str, str, str, str, str, str, str, str]]]] = {
    "LAB": (
        "Laboratory information system replacement",
        [
            (
                "LAB-1",
                "Vendor fix release slipped and squeezed system test",
                "The supplier's release with the analyser fixes arrived six weeks late, so system "
                "testing and user training were compressed into half the planned time.",
                "The vendor ran several customer go-lives at once with a single build team, and "
                "the contract had no remedy for late releases.",
                "Put release dates with penalties in the contract and review the vendor's "
                "release plan every week from build onwards.",
                "suppliers",
                "governance_framework",
                "vendor, release, contract",
            ),
            (
                "LAB-2",
                "HL7 interface defects surfaced only in integration testing",
                "Messages between the analysers, order communications and the patient "
                "administration system failed validation during integration testing.",
                "Each interface supplier tested its own side alone; nobody owned end-to-end "
                "message testing.",
                "Build an interface test harness on day one and triage interface defects jointly "
                "with all suppliers every week.",
                "technical",
                "collaboration",
                "interfaces, hl7, integration testing",
            ),
            (
                "LAB-3",
                "Legacy results needed three extra cleansing rounds",
                "Trial migrations rejected a third of historic results because of free-text "
                "fields and duplicate patient identifiers.",
                "Data quality was assumed, never profiled, before the migration was planned.",
                "Profile the legacy data before planning the migration and give data owners "
                "time in the cleansing team.",
                "technical",
                "life_cycle_management",
                "data migration, data quality",
            ),
            (
                "LAB-4",
                "Laboratory staff could not be released for classroom training",
                "Shift patterns and vacancies meant a third of scientists missed their training "
                "slot before go-live.",
                "Training was scheduled centrally without the rota managers.",
                "Plan training waves with the rota managers, add e-learning for refreshers and "
                "name super-users per shift.",
                "resources",
                "stakeholder_engagement",
                "training, rota",
            ),
            (
                "LAB-5",
                "Go-live cutover weekend overran by fourteen hours",
                "The real cutover took far longer than planned and the laboratory ran on paper "
                "until Monday afternoon.",
                "The cutover rehearsal was dropped to recover schedule.",
                "Hold at least two full dress rehearsals of the cutover with timings and a "
                "go/no-go checkpoint.",
                "schedule",
                "life_cycle_management",
                "cutover, go-live",
            ),
            (
                "LAB-6",
                "Response times collapsed at the morning peak",
                "Once live, result lookups took over ten seconds during the morning ward rounds.",
                "Servers were sized from the vendor's reference sites, all smaller than ours, and "
                "no load test used production volumes.",
                "Run a load test with production volumes on the build system early enough to "
                "order hardware.",
                "technical",
                "life_cycle_management",
                "performance, capacity, sizing",
            ),
            (
                "LAB-7",
                "Clinicians saw the new screens only at acceptance testing",
                "Late feedback from doctors produced forty change requests in the last month.",
                "Clinical users were not part of the design workshops.",
                "Involve clinical champions in design from the first workshop.",
                "stakeholders",
                "stakeholder_engagement",
                "clinicians, engagement, design",
            ),
            (
                "LAB-8",
                "No benefits owner until program closure",
                "Turnaround-time benefits were not measured for a year after go-live.",
                "Nobody in operations was named to own the benefits.",
                "Name a benefits owner in operations when the component is authorized.",
                "governance",
                "benefits_management",
                "benefits, ownership",
            ),
        ],
    ),
    "ERP": (
        "Finance system renewal",
        [
            (
                "ERP-1",
                "Key integrator consultants resigned mid-project",
                "Two senior consultants of the system integrator left within a month; design "
                "knowledge left with them and their replacements cost more.",
                "A tight market for specialists and no key-person clause in the contract.",
                "Require documentation and knowledge transfer as deliverables and agree a "
                "key-person clause with retention terms.",
                "resources",
                "collaboration",
                "staffing, knowledge transfer, key person",
            ),
            (
                "ERP-2",
                "Chart of accounts redesign held up data conversion",
                "Conversion of balances could not start until the new chart of accounts was "
                "signed off, two months late.",
                "The design decision sat with a board that met quarterly.",
                "Fix the data design decisions that migration depends on in the plan's "
                "critical path.",
                "technical",
                "life_cycle_management",
                "data migration, design",
            ),
            (
                "ERP-3",
                "Vendor's automated regression suite shortened system test",
                "Most standard process tests ran from the vendor's automated suite.",
                "The vendor offered the suite for free; we mapped our cases to it early.",
                "Ask vendors for their regression test suites and map test cases before system "
                "test starts.",
                "quality",
                "life_cycle_management",
                "testing, automation, regression",
            ),
            (
                "ERP-4",
                "Scope crept through unmanaged customisations",
                "Sixty customisations were added during build, each small, together three "
                "months of work.",
                "Requests went straight to developers without an impact assessment.",
                "Route every change through change control with a cost and schedule impact "
                "analysis before approval.",
                "governance",
                "governance_framework",
                "scope, change control",
            ),
            (
                "ERP-5",
                "Licence true-up consumed the contingency",
                "A licence audit charged for users added during testing.",
                "Test users counted as named users under the licence terms.",
                "Read licence counting rules before creating test accounts.",
                "cost",
                "governance_framework",
                "licences, contingency",
            ),
            (
                "ERP-6",
                "Supplier portal failed the accessibility audit",
                "The external audit failed the invoice submission flow weeks before launch; "
                "forms had to be rebuilt.",
                "Accessibility was checked only at the end.",
                "Include an accessibility specialist review in every design sprint.",
                "quality",
                "stakeholder_engagement",
                "accessibility, audit, portal",
            ),
            (
                "ERP-7",
                "Parallel run doubled the finance team's workload",
                "Running old and new ledgers side by side for three months exhausted the team.",
                "The parallel run was planned without backfill.",
                "Shorten parallel runs and budget temporary backfill for the business team.",
                "resources",
                "life_cycle_management",
                "parallel run, workload",
            ),
            (
                "ERP-8",
                "Steering committee decisions took weeks",
                "Decisions waited for the monthly steering meeting.",
                "No delegated authority below the committee.",
                "Agree decision rights and tolerances so managers decide within them.",
                "governance",
                "governance_framework",
                "decisions, steering",
            ),
        ],
    ),
    "BUILD": (
        "New outpatient clinic building",
        [
            (
                "BUILD-1",
                "Asbestos found behind ceilings during refurbishment",
                "Refurbishment of the old wing stopped for six weeks until a licensed "
                "contractor removed asbestos.",
                "Only a visual survey was done before design; the 1970s ceilings were never "
                "opened.",
                "Commission intrusive asbestos surveys before design freeze in old buildings.",
                "risk",
                "life_cycle_management",
                "asbestos, survey, refurbishment",
            ),
            (
                "BUILD-2",
                "Infection control closed clinical areas to contractors",
                "During a norovirus outbreak contractors could not enter the wards; network "
                "installation slipped three weeks.",
                "Access windows were never agreed with the infection prevention team.",
                "Agree access windows with infection control early and plan night works where "
                "allowed.",
                "schedule",
                "stakeholder_engagement",
                "infection control, ward access",
            ),
            (
                "BUILD-3",
                "Long-lead imaging equipment ordered too late",
                "The scanner arrived four months after the room was ready.",
                "Procurement waited for final room drawings.",
                "Order long-lead equipment from the outline design and track supplier lead "
                "times on the schedule.",
                "suppliers",
                "life_cycle_management",
                "procurement, lead time, equipment",
            ),
            (
                "BUILD-4",
                "Wet winter delayed groundworks",
                "Groundworks lost five weeks to rain.",
                "No weather allowance in the schedule.",
                "Add a weather allowance to outdoor activities in winter.",
                "schedule",
                "life_cycle_management",
                "weather, groundworks",
            ),
            (
                "BUILD-5",
                "Change orders approved before they were costed",
                "Site instructions were approved on the spot and the cost arrived later.",
                "No threshold required a costed impact before approval.",
                "Require a cost and time impact for every change order above a threshold.",
                "cost",
                "governance_framework",
                "change control, cost",
            ),
            (
                "BUILD-6",
                "Handover to facilities had no named owner",
                "After handover nobody in estates owned the building systems; defects stayed "
                "open and the energy savings were never tracked.",
                "The transition plan named a department, not a person.",
                "Name the receiving owner in operations in the transition plan and hand over "
                "with a checklist.",
                "governance",
                "benefits_management",
                "handover, operations, ownership",
            ),
            (
                "BUILD-7",
                "Neighbours objected to evening works",
                "Complaints stopped evening concrete pours.",
                "Residents were not told of the works plan.",
                "Brief neighbours on noisy works and keep a contact line open.",
                "stakeholders",
                "stakeholder_engagement",
                "neighbours, communication",
            ),
            (
                "BUILD-8",
                "Wi-Fi survey missed the thick walls of the old wing",
                "Coverage gaps appeared after handover; extra access points were fitted.",
                "The predictive survey ignored wall materials.",
                "Do an on-site wireless survey in old buildings.",
                "technical",
                "life_cycle_management",
                "wifi, network, survey",
            ),
        ],
    ),
    "DESK": (
        "Service desk consolidation",
        [
            (
                "DESK-1",
                "Service desk overwhelmed on the first day after go-live",
                "Calls tripled on go-live day; waiting times reached an hour.",
                "Staffing followed normal volumes; no floor-walkers were planned.",
                "Double service desk staffing for go-live week and put floor-walkers on the wards.",
                "resources",
                "life_cycle_management",
                "service desk, go-live, support",
            ),
            (
                "DESK-2",
                "Knowledge articles written after go-live",
                "Agents had no answers for the new system's common questions.",
                "Writing articles was nobody's task in the plan.",
                "Make knowledge articles a deliverable accepted before go-live.",
                "quality",
                "life_cycle_management",
                "knowledge base",
            ),
            (
                "DESK-3",
                "Super-users trained their own colleagues in the second wave",
                "Keen super-users from the first wave ran most second-wave sessions on their "
                "wards, halving central training sessions.",
                "Super-users knew their wards and their rotas.",
                "Give first-wave super-users a train-the-trainer top-up and let them run the "
                "next wave.",
                "resources",
                "stakeholder_engagement",
                "training, super-users",
            ),
            (
                "DESK-4",
                "Tender challenge delayed the supplier's start",
                "A losing bidder challenged the award; the standstill and review cost seven weeks.",
                "Evaluation notes were thin on two criteria.",
                "Keep complete evaluation records and plan a standstill buffer after award.",
                "suppliers",
                "governance_framework",
                "procurement, tender",
            ),
            (
                "DESK-5",
                "Out-of-hours support contract signed too late",
                "Night support started two weeks after go-live.",
                "The contract waited for the final support model.",
                "Sign support contracts before go-live readiness review.",
                "suppliers",
                "life_cycle_management",
                "support, contract",
            ),
            (
                "DESK-6",
                "Identity provider contract renewal held up the security review",
                "The single sign-on provider's new terms were unsigned, so the security sign-off "
                "waited a month.",
                "Contract renewal was not on the program's schedule.",
                "Put third-party contract renewals on the schedule with the reviews that "
                "need them.",
                "suppliers",
                "governance_framework",
                "identity, contract, security",
            ),
        ],
    ),
}

# query → keys of the relevant lessons
QUERIES: list[tuple[str, set[str]]] = [
    (
        "EHR vendor delivers fix releases late. The vendor runs three hospital go-lives in "
        "parallel with one build team; the release with the pharmacy interface slips by "
        "weeks and system test starts late.",
        {"LAB-1", "BUILD-3", "DESK-4"},
    ),
    (
        "Interface defects found late. Lab, radiology and pharmacy interfaces come from "
        "three different suppliers; integration tests find defects in the HL7 messages.",
        {"LAB-2", "ERP-3"},
    ),
    (
        "Legacy data quality worse than expected. Twenty years of free-text entries and "
        "duplicate patient records; trial loads reject a large share of records.",
        {"LAB-3", "ERP-2"},
    ),
    (
        "Clinicians unavailable for training. Winter pressures and rota gaps on the wards; "
        "wards cannot release staff for end-user training sessions.",
        {"LAB-4", "DESK-3"},
    ),
    (
        "Ward access for go-live checks restricted. Infection-control rules close wards to "
        "visiting teams during outbreaks; network and device checks cannot enter.",
        {"BUILD-2"},
    ),
    (
        "Key EHR analysts leave the hospital. Market demand for analysts is high; two "
        "resign before go-live; knowledge loss and contractors at higher rates.",
        {"ERP-1"},
    ),
    (
        "Accessibility audit requires rework. New accessibility law applies to "
        "patient-facing services; the external audit fails the booking flow.",
        {"ERP-6"},
    ),
    (
        "Performance test reveals capacity shortfall. Sizing is based on the vendor's "
        "reference sites, all smaller than ours; response times fail.",
        {"LAB-6"},
    ),
    (
        "Change requests approved without an impact analysis keep adding scope and cost.",
        {"ERP-4", "BUILD-5"},
    ),
    (
        "Who in operations receives the outputs and keeps the benefits coming after the "
        "component is handed over?",
        {"BUILD-6", "LAB-8"},
    ),
    (
        "Asbestos in ward ceilings. Wards built in the 1970s; the survey finds asbestos; "
        "cabling waits for licensed removal.",
        {"BUILD-1"},
    ),
    (
        "Go-live weekend: cutover overruns and the service desk is flooded with calls.",
        {"LAB-5", "DESK-1"},
    ),
]
