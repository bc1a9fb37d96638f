"""The counter-staff benefit calculator: a typed history in, the answer with reasons out.
Nothing is stored and no registered person is read, so there is nothing to audit."""
from django.shortcuts import render

from ..access.roles import role_required
from ..models.accounts import BUREAU_ROLES
from .forms import CalculatorForm
from .quotes import counter_answer


@role_required(*BUREAU_ROLES)
def calculator(request):
    form = CalculatorForm(request.POST or None, user=request.user)
    answer = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answer = counter_answer(
            data["history"], data["area"], data["enrolled_on"], birth_date=data["birth_date"],
            special_groups=form.groups, transfer_in=form.transfer_in,
        )
    return render(request, "benefits/calculator.html", {"form": form, "answer": answer})
