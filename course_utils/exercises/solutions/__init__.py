"""Reference solutions of the lessons' exercises, one module per lesson. The notebooks never
print them: each exercise is followed by a cell that checks its reference solution out of
sight (:func:`course_utils.exercises.check_reference`) and names the function that
:func:`course_utils.exercises.show_solution` displays."""
