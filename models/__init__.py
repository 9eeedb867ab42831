"""SQLModel tables.  Imports nothing of the project above it and no Flask.

Importing this package registers every table on ``SQLModel.metadata``.
"""
from sqlmodel import SQLModel

from models.base import utcnow
from models.complaints import (Complaint, ComplaintEvent, ComplaintFollower, ComplaintPhoto, TicketCounter,
                                WorkCalendarDay)
from models.faq import FaqEntry, FaqHit, FaqVersion, PolicyArticle, UnansweredAsker, UnansweredQuestion
from models.households import (AuditLog, Binding, BindingAttempt, BindingRequest, Building, Department,
                               DepartmentCommunity, DepartmentSupervisor, Household,
                               ImportJob, LoginFailure, StaffCommunity, StaffUser)
from models.notices import Notice
from models.projects import ComplaintItem, ItemFollow, ItemPhoto, Project, ProjectItem, ProjectStage
from models.publicity import Objection, Publicity
from models.outbound import ApiToken, DailyFigures
from models.residents import Community, Resident
from models.surveys import (Ballot, BallotHistory, SurveyEligible, SurveyProxy, SurveyRun, SurveyTemplate,
                            SurveyVersion)
from models.wechat import Conversation, InboundMessage, OutboundMessage

metadata = SQLModel.metadata

__all__ = ["metadata", "utcnow", "Community", "Resident", "Conversation", "InboundMessage", "OutboundMessage",
           "AuditLog", "Binding", "BindingRequest", "Building", "Department", "DepartmentCommunity",
           "DepartmentSupervisor", "Household", "StaffCommunity",
           "StaffUser", "BindingAttempt", "ImportJob", "LoginFailure",
           "Ballot", "BallotHistory", "SurveyEligible", "SurveyProxy", "SurveyRun", "SurveyTemplate", "SurveyVersion",
           "FaqEntry", "FaqHit", "FaqVersion", "PolicyArticle", "UnansweredAsker", "UnansweredQuestion",
           "ApiToken", "DailyFigures", "Notice", "Objection", "Publicity",
           "Complaint", "ComplaintEvent", "ComplaintFollower", "ComplaintPhoto", "TicketCounter", "WorkCalendarDay",
           "Project", "ProjectStage", "ProjectItem", "ItemPhoto", "ItemFollow", "ComplaintItem"]
